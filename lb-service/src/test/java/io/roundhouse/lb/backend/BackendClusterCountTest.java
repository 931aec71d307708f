package io.roundhouse.lb.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.NodeStats;
import org.junit.jupiter.api.Test;

class BackendClusterCountTest {

  private final Backend backend =
      new Backend(new ServiceInstance("echo-1", "echo", "127.0.0.1", 1, "member-1"));

  private void open(int n) {
    for (int i = 0; i < n; i++) {
      assertThat(backend.tryOpen(0)).isTrue();
    }
  }

  @Test
  void shouldCountOnlyItsOwnConnectionsWhenTheNodeHasNotReported() {
    open(3);

    assertThat(backend.clusterConnections()).isEqualTo(3);
  }

  @Test
  void shouldAddItsOwnOpensSinceTheReportWhenOtherBalancersHoldConnections() {
    open(2);
    // The node holds 10: these 2, and 8 through other balancers.
    backend.report(new NodeStats("echo-1", "echo", 10, 10));
    open(3);

    assertThat(backend.clusterConnections()).isEqualTo(13);
  }

  @Test
  void shouldSubtractItsOwnClosesSinceTheReportWhenConnectionsEnd() {
    open(4);
    backend.report(new NodeStats("echo-1", "echo", 20, 20));
    backend.closed();
    backend.closed();

    assertThat(backend.clusterConnections()).isEqualTo(18);
  }

  @Test
  void shouldNeverCountFewerThanItsOwnWhenTheReportLagsBehind() {
    backend.report(new NodeStats("echo-1", "echo", 0, 0));
    open(5);
    // The report said 0 while these were being dialled; then the node reports them late.
    backend.report(new NodeStats("echo-1", "echo", 1, 1));

    assertThat(backend.clusterConnections()).isEqualTo(5);
  }
}
