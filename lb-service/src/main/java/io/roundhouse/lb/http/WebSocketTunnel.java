package io.roundhouse.lb.http;

import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.Connected;
import io.roundhouse.net.Relay;
import io.roundhouse.net.Sockets;
import io.roundhouse.net.Splice;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunnels a WebSocket upgrade to a ws-service backend: the upgrade request goes to the backend; its
 * 101 is relayed to the client; from then on bytes flow both ways through a {@link Splice} with
 * backpressure, close frames and codes included, and an idle timeout of its own. A backend that
 * answers anything but 101 has its answer relayed as is.
 */
final class WebSocketTunnel {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTunnel.class);
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding");

  private final LbConfig config;
  private final BackendConnector connector;
  private final HttpClient outboundClient;
  private final FrontendCounters counters;

  WebSocketTunnel(
      LbConfig config,
      BackendConnector connector,
      HttpClient outboundClient,
      FrontendCounters counters) {
    this.config = config;
    this.connector = connector;
    this.outboundClient = outboundClient;
    this.counters = counters;
  }

  void handle(HttpServerRequest inbound) {
    inbound.pause();
    connector
        .connect(
            ServiceInstance.WS,
            backend -> outboundClient.request(upgradeTo(backend.instance(), inbound)))
        .onSuccess(lease -> upgrade(inbound, lease))
        .onFailure(error -> GatewayErrors.respond(inbound.response(), error));
  }

  private RequestOptions upgradeTo(ServiceInstance backend, HttpServerRequest inbound) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    inbound
        .headers()
        .forEach(
            (name, value) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                headers.add(name, value);
              }
            });
    headers.set("Connection", "Upgrade");
    Forwarded.add(inbound, headers);
    return new RequestOptions()
        .setServer(SocketAddress.inetSocketAddress(backend.port(), backend.host()))
        .setMethod(HttpMethod.GET)
        .setURI(inbound.uri())
        .setHeaders(headers)
        .setIdleTimeout(config.backendTimeout().toMillis());
  }

  private void upgrade(HttpServerRequest inbound, Connected<HttpClientRequest> lease) {
    HttpClientRequest outboundRequest = lease.value();
    // After the upgrade the request's connection is the tunnel; its close is not an error.
    outboundRequest.exceptionHandler(e -> LOG.debug("Upgrade request: {}", e.toString()));
    outboundRequest
        .connect()
        .onSuccess(
            response -> {
              if (response.statusCode() == 101) {
                splice(inbound, response, lease);
              } else {
                relayRefusal(inbound, response, lease);
              }
            })
        .onFailure(
            error -> {
              lease.release();
              GatewayErrors.respond(inbound.response(), error);
            });
  }

  private void splice(
      HttpServerRequest inbound, HttpClientResponse response, Connected<HttpClientRequest> lease) {
    NetSocket outbound = response.netSocket();
    // Held at once: the backend's first frame may arrive before the client's side is ready.
    Relay outboundReader = Relay.hold(outbound);
    HttpServerResponse toClient = inbound.response().setStatusCode(101);
    response.headers().forEach(toClient.headers()::add);
    inbound
        .toNetSocket()
        .onSuccess(
            inboundSocket -> {
              counters.webSocket().opened();
              Sockets.setIdleTimeout(inboundSocket, config.tunnelIdleTimeout());
              Splice.start(inboundSocket, Relay.hold(inboundSocket), outbound, outboundReader)
                  .closed()
                  .onComplete(
                      ar -> {
                        counters.webSocket().closed();
                        lease.release();
                      });
            })
        .onFailure(
            error -> {
              LOG.debug("Client left during the WebSocket upgrade: {}", error.toString());
              outbound.close();
              lease.release();
            });
  }

  private void relayRefusal(
      HttpServerRequest inbound, HttpClientResponse response, Connected<HttpClientRequest> lease) {
    response
        .body()
        .onComplete(
            body -> {
              lease.release();
              HttpServerResponse toClient = inbound.response().setStatusCode(response.statusCode());
              response
                  .headers()
                  .forEach(
                      (name, value) -> {
                        if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                          toClient.headers().add(name, value);
                        }
                      });
              if (body.succeeded()) {
                toClient.end(body.result());
              } else {
                GatewayErrors.respond(toClient, body.cause());
              }
            });
  }
}
