package io.roundhouse.echo;

import static io.roundhouse.echo.EchoFixture.NODE_ID;
import static io.roundhouse.echo.EchoStreams.readToEof;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.DatagramStats;
import io.roundhouse.stats.LoopStats;
import io.roundhouse.stats.NodeStats;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.PrometheusText;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Open and total connections: counted locally, served as metrics, published to the cluster. */
class EchoConnectionCountsIT {

  @RegisterExtension static final EchoFixture echo = new EchoFixture();

  private static String get(int port, String path, int status) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)) // a bound on a busy two-core box, not a target
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    return response.body();
  }

  @Test
  void shouldCountConnectionsUpAndDownWhenClientsConnectAndGo() throws IOException {
    EchoService service = echo.start();
    Socket graceful = echo.connect(service);
    Socket reset = echo.connect(service);
    Socket halfClosed = echo.connect(service);

    Eventually.until(
        "three active connections",
        () -> service.counter().active() == 3,
        () -> service.counter().active());
    assertThat(service.counter().total()).isEqualTo(3);

    graceful.close();
    Eventually.until("a closed connection is uncounted", () -> service.counter().active() == 2);

    reset.setSoLinger(true, 0);
    reset.close(); // RST instead of FIN
    Eventually.until("a reset connection is uncounted", () -> service.counter().active() == 1);

    halfClosed.getOutputStream().write("bye".getBytes());
    halfClosed.shutdownOutput();
    assertThat(readToEof(halfClosed, 3)).isEqualTo("bye".getBytes());
    Eventually.until(
        "a half-closed connection is uncounted", () -> service.counter().active() == 0);

    Socket later = echo.connect(service);
    Eventually.until("a new connection is counted", () -> service.counter().total() == 4);
    assertThat(service.counter().active()).isEqualTo(1);
    later.close();
    Eventually.until("no connection is left", () -> service.counter().active() == 0);
    assertThat(service.counter().total()).isEqualTo(4);
  }

  @Test
  void shouldServeHealthAndConnectionMetricsWhenAdminPortIsAsked() throws Exception {
    EchoService service = echo.start();
    Map<String, String> labels = Map.of("node", NODE_ID, "service", "echo", "protocol", "tcp");
    echo.connect(service);
    echo.connect(service);
    Eventually.until("two active connections", () -> service.counter().active() == 2);

    String metrics = get(service.adminPort(), "/metrics", 200);
    assertThat(PrometheusText.value(metrics, "roundhouse_connections_active", labels))
        .contains(2.0);
    assertThat(PrometheusText.value(metrics, "roundhouse_connections_total", labels)).contains(2.0);
    assertThat(metrics).contains("process_files_open_files", "jvm_memory_used_bytes");
    assertThat(get(service.adminPort(), "/health/live", 200)).contains("UP");
    assertThat(get(service.adminPort(), "/health/ready", 200)).contains("UP");

    service.stop().await();
    assertThatThrownBy(() -> new Socket("127.0.0.1", service.adminPort()).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void shouldPublishConnectionCountsToOtherMembersWhenClientsConnect() throws IOException {
    EchoService service = echo.start();
    List<NodeStats> seen = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer =
        echo.observer()
            .vertx()
            .eventBus()
            .<JsonObject>consumer(NodeStats.ADDRESS, m -> seen.add(NodeStats.fromJson(m.body())));
    try {
      consumer.completion().await();
      Socket socket = echo.connect(service);

      Eventually.until(
          "the observer sees one active connection",
          () ->
              counts(seen)
                  .contains(new NodeStats(NODE_ID, ServiceInstance.ECHO, 1, 1, DatagramStats.NONE)),
          () -> seen);

      assertThat(seen)
          .as("the event loop that accepted it reports it")
          .anyMatch(
              s ->
                  s.active() == 1
                      && s.loops().stream().mapToLong(LoopStats::active).sum() == 1
                      && s.loops().stream().mapToLong(LoopStats::total).sum() == 1);
      socket.close();

      Eventually.until(
          "the observer sees the connection gone",
          () ->
              counts(seen)
                  .contains(new NodeStats(NODE_ID, ServiceInstance.ECHO, 0, 1, DatagramStats.NONE)),
          () -> seen);
    } finally {
      consumer.unregister().await();
    }
  }

  /** The counts alone, without the loops and fds that vary with the machine. */
  private static List<NodeStats> counts(List<NodeStats> seen) {
    return seen.stream()
        .map(s -> new NodeStats(s.id(), s.service(), s.active(), s.total(), s.udp()))
        .toList();
  }
}
