package io.roundhouse.load.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodesSnapshotTest {

  /** Captured from a real lb-service's /api/nodes during a TCP echo run. */
  static String realJson() throws IOException {
    try (InputStream in =
        NodesSnapshotTest.class.getResourceAsStream("/admin/nodes-during-tcp-run.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void shouldReadEveryNodeWhenParsingTheBalancersJson() throws IOException {
    NodesSnapshot s = NodesSnapshot.parse(realJson());

    assertThat(s.balancer()).isEqualTo("lb-1");
    assertThat(s.nodes())
        .extracting(NodeStats::id)
        .containsExactly("echo-1", "echo-2", "echo-3", "ws-1", "ws-2", "ws-3");
    NodeStats echo1 = s.nodes().get(0);
    assertThat(echo1.service()).isEqualTo("echo");
    assertThat(echo1.host()).isEqualTo("127.0.0.1");
    assertThat(echo1.port()).isEqualTo(34543);
    assertThat(echo1.healthy()).isTrue();
    assertThat(echo1.activeConnections()).isEqualTo(10);
    assertThat(echo1.totalConnections()).isEqualTo(10);
    assertThat(echo1.failedConnects()).isZero();
    assertThat(echo1.reportedActiveConnections()).isEqualTo(10L);
    assertThat(echo1.reportedTotalConnections()).isEqualTo(10L);
    assertThat(s.nodes().get(3).reportedTotalConnections()).isEqualTo(50L);
  }

  @Test
  void shouldPickOneServiceWhenAskedForIt() throws IOException {
    NodesSnapshot s = NodesSnapshot.parse(realJson());

    assertThat(s.service("ws")).containsOnlyKeys("ws-1", "ws-2", "ws-3");
    assertThat(s.service("echo")).containsOnlyKeys("echo-1", "echo-2", "echo-3");
    assertThat(s.service("nope")).isEmpty();
  }

  @Test
  void shouldKeepReportedCountersNullWhenANodeHasNotReportedYet() throws IOException {
    // A fresh node, as the balancer renders it before the node's first report.
    String json =
        realJson()
            .replaceFirst("\"reportedActiveConnections\":10", "\"reportedActiveConnections\":null")
            .replaceFirst("\"reportedTotalConnections\":10", "\"reportedTotalConnections\":null");

    NodeStats fresh = NodesSnapshot.parse(json).nodes().get(0);

    assertThat(fresh.reportedActiveConnections()).isNull();
    assertThat(fresh.reportedTotalConnections()).isNull();
  }

  @Test
  void shouldFailClearlyWhenTheBodyIsNotTheNodesJson() {
    assertThatThrownBy(() -> NodesSnapshot.parse("<html>")).hasMessageContaining("not return JSON");
    assertThatThrownBy(() -> NodesSnapshot.parse("{\"status\":\"UP\"}"))
        .hasMessageContaining("no \"nodes\" array");
  }
}
