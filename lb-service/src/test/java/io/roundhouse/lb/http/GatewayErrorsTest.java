package io.roundhouse.lb.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roundhouse.lb.backend.NoBackendException;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One mapping from failure type to status, at the edge, and the counter each answer bumps. */
class GatewayErrorsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayErrors errors = new GatewayErrors(registry);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().timeout(10, TimeUnit.SECONDS).await();
  }

  private double counted(String protocol, int status) {
    return registry
        .get("roundhouse.gateway.errors")
        .tags("protocol", protocol, "status", String.valueOf(status))
        .counter()
        .count();
  }

  @Test
  void shouldMapNoBackendAndAFullPoolTo503() {
    assertThat(GatewayErrors.status(new NoBackendException("none", null))).isEqualTo(503);
    assertThat(GatewayErrors.status(new ConnectionPoolTooBusyException("full"))).isEqualTo(503);
  }

  @Test
  void shouldMapTimeoutsTo504WhenThrownOrWrapped() {
    assertThat(GatewayErrors.status(new TimeoutException())).isEqualTo(504);
    assertThat(GatewayErrors.status(new NoStackTraceTimeoutException("slow"))).isEqualTo(504);
    assertThat(GatewayErrors.status(new RuntimeException(new TimeoutException()))).isEqualTo(504);
  }

  @Test
  void shouldMapEveryOtherFailureTo502() {
    assertThat(GatewayErrors.status(new ConnectException("refused"))).isEqualTo(502);
    assertThat(GatewayErrors.status(new UpgradeException("closed"))).isEqualTo(502);
    assertThat(GatewayErrors.status(new IOException("reset"))).isEqualTo(502);
    // A name is not a type: only real timeouts are 504.
    assertThat(GatewayErrors.status(new IllegalStateException("TimeoutLikeName"))).isEqualTo(502);
  }

  @Test
  void shouldCountEachAnswerByProtocolAndStatusWhenCounted() {
    errors.count(GatewayErrors.WEBSOCKET, new TimeoutException());
    errors.count(GatewayErrors.WEBSOCKET, new TimeoutException());
    errors.count(GatewayErrors.HTTP, new NoBackendException("none", null));

    assertThat(counted(GatewayErrors.WEBSOCKET, 504)).isEqualTo(2);
    assertThat(counted(GatewayErrors.HTTP, 503)).isEqualTo(1);
    assertThat(counted(GatewayErrors.HTTP, 504)).isZero();
  }

  @Test
  void shouldAnswerOnceAndCountOnceWhenRespondIsCalledTwice() throws Exception {
    int port =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  errors.respond(GatewayErrors.HTTP, request.response(), new TimeoutException());
                  errors.respond(GatewayErrors.HTTP, request.response(), new IOException());
                })
            .listen(0, "127.0.0.1")
            .timeout(10, TimeUnit.SECONDS)
            .await()
            .actualPort();

    // The JDK's blocking client: a Vert.x client driven from the test thread can miss a body that
    // arrives before its handler is set, and then waits forever.
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(504);
    assertThat(answer.body()).contains("Gateway Timeout");
    assertThat(counted(GatewayErrors.HTTP, 504)).isEqualTo(1);
    assertThat(counted(GatewayErrors.HTTP, 502)).isZero();
  }
}
