package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The clients a test speaks through the balancer with, in either tier. */
final class TestClients {

  /** A whole HTTP response. */
  record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Vertx vertx;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * @param vertx where the WebSocket clients run; not the balancer's own Vert.x
   */
  TestClients(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * GETs with the JDK's blocking client, keep-alive, with a timeout: a Vert.x client used from a
   * test thread can drop a response body that arrives before its handler is set.
   */
  Reply http(int port, String path, String... headers) {
    return send("GET", port, path, HttpRequest.BodyPublishers.noBody(), headers);
  }

  /** POSTs an empty body; see {@link #http}. */
  Reply post(int port, String path) {
    return send("POST", port, path, HttpRequest.BodyPublishers.noBody());
  }

  /** DELETEs; see {@link #http}. */
  Reply delete(int port, String path) {
    return send("DELETE", port, path, HttpRequest.BodyPublishers.noBody());
  }

  /** PATCHes with a JSON body; see {@link #http}. */
  Reply patch(int port, String path, String json) {
    return send(
        "PATCH",
        port,
        path,
        HttpRequest.BodyPublishers.ofString(json),
        "Content-Type",
        "application/json");
  }

  private Reply send(
      String method, int port, String path, HttpRequest.BodyPublisher body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, body);
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Attempts a WebSocket upgrade on {@code port}; returns the refusal it must get. */
  UpgradeRejectedException rejectedUpgrade(int port, String path) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      Throwable failure =
          client
              .connect(
                  new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path))
              .map(ws -> (Throwable) null)
              .recover(Future::succeededFuture)
              .timeout(30, TimeUnit.SECONDS)
              .await();
      assertThat(failure).isInstanceOf(UpgradeRejectedException.class);
      return (UpgradeRejectedException) failure;
    } finally {
      client.close();
    }
  }
}
