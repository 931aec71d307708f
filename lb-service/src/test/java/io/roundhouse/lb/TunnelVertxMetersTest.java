package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tunnel's client channel leaves Vert.x after the upgrade, so Vert.x never sees it close: with
 * Vert.x's own meters on ({@code METRICS_VERTX=true}) the tunnel tells them itself.
 */
class TunnelVertxMetersTest {

  private final NodeMetrics meters = NodeMetrics.create("lb-test", "lb");
  private final Frontends frontends = new Frontends(Map.of(), meters);

  @AfterEach
  void close() {
    frontends.close();
    meters.close();
  }

  /** Vert.x's gauge of the HTTP server's open connections, summed over its series. */
  private double serverConnections() {
    return meters.registry().find("vertx.http.server.active.connections").gauges().stream()
        .mapToDouble(Gauge::value)
        .sum();
  }

  @Test
  void shouldCountTheClientConnectionDownInVertxMetersWhenATunnelCloses() {
    int origin =
        frontends.httpOrigin(req -> req.toWebSocket().onSuccess(ws -> ws.handler(ws::write)));
    frontends.backendUp("ws-1", ServiceInstance.WS, origin);
    WebSocketClient client = frontends.origins.createWebSocketClient();
    try {
      Promise<Buffer> echo = Promise.promise();
      ClientWebSocket socket = client.webSocket();
      socket.handler(echo::tryComplete);
      socket
          .connect(
              new WebSocketConnectOptions()
                  .setHost("127.0.0.1")
                  .setPort(frontends.httpPort())
                  .setURI("/ws"))
          .timeout(30, TimeUnit.SECONDS)
          .await();
      socket.writeTextMessage("metered");
      echo.future().timeout(30, TimeUnit.SECONDS).await();
      assertThat(serverConnections()).isEqualTo(1);

      socket.close().timeout(30, TimeUnit.SECONDS).await();
      Eventually.until(
          Duration.ofSeconds(20),
          "Vert.x's connection gauge is back to 0",
          () -> serverConnections() == 0 && frontends.counters.webSocket().active() == 0);
    } finally {
      client.close();
    }
  }
}
