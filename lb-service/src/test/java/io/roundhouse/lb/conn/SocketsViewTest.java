package io.roundhouse.lb.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.FdStats;
import io.roundhouse.stats.LoopStats;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sockets view over a /proc laid out as the kernel's, so every figure is known. */
class SocketsViewTest {

  @TempDir Path proc;

  private static final String HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n";

  private void write(String file, String text) throws IOException {
    Path path = proc.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  @Test
  void shouldHangConnectedSocketsOffTheirListenerAndCountPortsPerBackendWhenTheKernelHoldsThem()
      throws IOException {
    // :9000 (0x2328) listens twice (two loops); two clients on it; the balancer holds one socket
    // to the backend on :7001 (0x1B59) and one more sits in TIME_WAIT.
    write(
        "net/tcp",
        HEADER
            + "   0: 0100007F:2328 00000000:0000 0A 0 0 0 0 0\n"
            + "   1: 0100007F:2328 00000000:0000 0A 0 0 0 0 0\n"
            + "   2: 0100007F:2328 0100007F:C350 01 0 0 0 0 0\n"
            + "   3: 0100007F:2328 0100007F:C351 01 0 0 0 0 0\n"
            + "   4: 0100007F:9C40 0100007F:1B59 01 0 0 0 0 0\n"
            + "   5: 0100007F:9C41 0100007F:1B59 06 0 0 0 0 0\n");
    write("sys/net/ipv4/ip_local_port_range", "40000\t40999\n");
    ConnectionRegistry registry = new ConnectionRegistry();
    registry.accepted();
    registry.open(
        Kind.UDP,
        "udp",
        "echo",
        new InetSocketAddress("127.0.0.1", 5000),
        new InetSocketAddress("127.0.0.1", 9000));
    SocketsView view =
        new SocketsView(
            "lb-1",
            registry,
            List.of(
                new Listening("tcp", "tcp", "127.0.0.1", 9000, 2),
                new Listening("udp", "udp", "127.0.0.1", 9000, 1)),
            proc);

    BackendDirectory backends = new BackendDirectory();
    backends.instanceUp(new ServiceInstance("echo-1", "echo", "127.0.0.1", 7001, "m"));
    backends.instanceUp(new ServiceInstance("echo-2", "echo", "127.0.0.1", 7002, "m"));
    backends.report(
        new NodeStats(
            "echo-1",
            "echo",
            1,
            4,
            null,
            List.of(new LoopStats("vert.x-eventloop-thread-0", 1, 4)),
            new FdStats(30, 1024)));

    JsonObject json = view.render(backends.all());

    JsonObject tcp = json.getJsonArray("listeners").getJsonObject(0);
    assertThat(tcp.getLong("listeningSockets")).isEqualTo(2);
    assertThat(tcp.getJsonObject("connectedSockets").getLong("ESTABLISHED")).isEqualTo(2);
    JsonObject udp = json.getJsonArray("listeners").getJsonObject(1);
    assertThat(udp.getLong("connections")).isEqualTo(1);
    assertThat(udp.containsKey("listeningSockets")).isFalse();
    JsonObject ephemeral = json.getJsonObject("ephemeral");
    assertThat(ephemeral.getInteger("size")).isEqualTo(1000);
    JsonObject echo = ephemeral.getJsonArray("perBackend").getJsonObject(0);
    assertThat(echo.getLong("sockets")).isEqualTo(2);
    assertThat(echo.getLong("timeWait")).isEqualTo(1);
    assertThat(echo.getDouble("share")).isEqualTo(0.002);
    JsonObject reported = echo.getJsonObject("reported");
    assertThat(reported.getLong("activeConnections")).isEqualTo(1);
    assertThat(reported.getJsonArray("loops").getJsonObject(0).getLong("total")).isEqualTo(4);
    assertThat(reported.getJsonObject("fds").getLong("max")).isEqualTo(1024);
    assertThat(ephemeral.getJsonArray("perBackend").getJsonObject(1).getValue("reported"))
        .as("no report yet from echo-2")
        .isNull();
    assertThat(json.getJsonObject("tcpStates").getMap())
        .containsEntry("LISTEN", 2L)
        .containsEntry("ESTABLISHED", 3L)
        .containsEntry("TIME_WAIT", 1L);
    assertThat(json.getJsonArray("loops").getJsonObject(0).getLong("accepts")).isEqualTo(1);
    assertThat(json.getJsonObject("fds").getLong("open")).isPositive();
    assertThat(json.getJsonObject("fds").getLong("limit"))
        .isGreaterThanOrEqualTo(json.getJsonObject("fds").getLong("open"));
  }

  @Test
  void shouldFallBackToTheDefaultRangeWhenTheKernelFilesAreMissing() {
    JsonObject json =
        new SocketsView("lb-1", new ConnectionRegistry(), List.of(), proc).render(List.of());
    assertThat(json.getJsonObject("ephemeral").getInteger("low")).isEqualTo(32768);
    assertThat(json.getJsonObject("tcpStates").isEmpty()).isTrue();
  }
}
