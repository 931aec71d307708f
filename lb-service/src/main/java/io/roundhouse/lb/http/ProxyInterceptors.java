package io.roundhouse.lb.http;

import io.roundhouse.lb.backend.Lease;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.Set;

/**
 * The balancer's hooks into vertx-http-proxy: hop-by-hop headers removed both ways and forwarded
 * headers added on the way out, the backend's count released when the exchange ends, failures
 * mapped once to 502, 503 or 504, and how the backend did (its status, or its failure) told to its
 * lease for passive health.
 */
final class ProxyInterceptors implements ProxyInterceptor {

  static final String LEASE = "roundhouse.lease";

  private final GatewayErrors errors;

  ProxyInterceptors(GatewayErrors errors) {
    this.errors = errors;
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
    HopByHop.strip(context.request().headers(), Set.of());
    Forwarded.add(context.request().proxiedRequest(), context.request().headers());
    return context
        .sendRequest()
        .recover(
            error -> {
              Lease<HttpClientRequest> lease = lease(context);
              if (lease != null) {
                lease.failed(error);
              }
              release(context);
              int status = errors.count(GatewayErrors.HTTP, error);
              // Let the rest of the client's body (if any) drain so the connection can be reused.
              context.request().proxiedRequest().resume();
              ProxyResponse response =
                  context
                      .request()
                      .response()
                      .setStatusCode(status)
                      .setBody(
                          Body.body(
                              Buffer.buffer(GatewayErrors.message(status)),
                              MediaType.parse("text/plain; charset=utf-8")));
              String wait = errors.retryAfter(status);
              if (wait != null) {
                response.putHeader("Retry-After", wait);
              }
              return Future.succeededFuture(response);
            });
  }

  @Override
  public Future<Void> handleProxyResponse(ProxyContext context) {
    Lease<HttpClientRequest> lease = lease(context);
    if (lease != null) {
      lease.answered(context.response().getStatusCode());
    }
    HopByHop.strip(context.response().headers(), Set.of());
    return context.sendResponse().onComplete(ar -> release(context));
  }

  @SuppressWarnings("unchecked")
  private static Lease<HttpClientRequest> lease(ProxyContext context) {
    return context.get(LEASE, Lease.class);
  }

  static void release(ProxyContext context) {
    Lease<HttpClientRequest> lease = lease(context);
    if (lease != null) {
      lease.release();
    }
  }
}
