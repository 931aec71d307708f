package io.roundhouse.load.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminClientTest {

  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicReference<String> path = new AtomicReference<>();

  @BeforeEach
  void startServer() throws IOException {
    body.set(NodesSnapshotTest.realJson());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          path.set(exchange.getRequestURI().getPath());
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @Test
  void shouldGetApiNodesWhenAskedForNodes() throws Exception {
    NodesSnapshot nodes = new AdminClient(baseUrl()).nodes();

    assertThat(path.get()).isEqualTo("/api/nodes");
    assertThat(nodes.nodes()).hasSize(6);
  }

  @Test
  void shouldFailWithTheStatusWhenTheAdminApiAnswersAnError() {
    status.set(503);
    body.set("not ready");

    assertThatThrownBy(() -> new AdminClient(baseUrl()).nodes())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answered 503: not ready");
  }

  @Test
  void shouldSayWhereItLookedWhenNothingListens() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }

    assertThatThrownBy(() -> new AdminClient("http://127.0.0.1:" + closedPort).nodes())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort + "/api/nodes did not answer");
  }
}
