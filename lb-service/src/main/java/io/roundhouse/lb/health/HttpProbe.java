package io.roundhouse.lb.health;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** Checks an HTTP backend with {@code GET <path>} on a connection of its own: 200 passes. */
final class HttpProbe implements Probe {

  private final HttpClient client;
  private final String path;
  private final long timeoutMs;

  HttpProbe(HttpClient client, String path, long timeoutMs) {
    this.client = client;
    this.path = path;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<Void> check(Monitored backend) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(backend.host())
            .setPort(backend.port())
            .setURI(path)
            .setConnectTimeout(timeoutMs)
            .setIdleTimeout(timeoutMs)
            .putHeader("User-Agent", "roundhouse-health");
    return client
        .request(request)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> response.statusCode()))
        .compose(
            status ->
                status == 200
                    ? Future.succeededFuture()
                    : Future.failedFuture(new CheckFailure("HTTP " + status)));
  }
}
