package io.roundhouse.lb.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.balance.RoundRobin;
import io.roundhouse.lb.health.HealthConfig;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selection logic only: the dial functions here stand for connection attempts. */
class BackendConnectorTest {

  private final BackendDirectory directory = new BackendDirectory();
  private final BackendConnector connector = new BackendConnector(directory, RoundRobin::new, 3);

  private void up(String id, String service, int port) {
    directory.instanceUp(new ServiceInstance(id, service, "127.0.0.1", port, "member-" + id));
  }

  private Map<String, Integer> spread(String service, int choices) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < choices; i++) {
      Lease<String> c = connector.connect(service, b -> Future.succeededFuture(b.id())).await();
      counts.merge(c.value(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void shouldSpreadWithinOneOfFairShareWhenChoicesAreNotAMultipleOfBackends() {
    up("echo-1", "echo", 1);
    up("echo-2", "echo", 2);
    up("echo-3", "echo", 3);

    Map<String, Integer> counts = spread("echo", 100);

    assertThat(counts).hasSize(3);
    counts.values().forEach(n -> assertThat(n).isBetween(33, 34));
  }

  @Test
  void shouldKeepEachServiceFairWhenTrafficToServicesInterleaves() {
    up("echo-1", "echo", 1);
    up("echo-2", "echo", 2);
    up("ws-1", "ws", 3);
    up("ws-2", "ws", 4);
    Map<String, Integer> ws = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      connector.connect("echo", b -> Future.succeededFuture(b.id())).await();
      ws.merge(
          connector.connect("ws", b -> Future.succeededFuture(b.id())).await().value(),
          1,
          Integer::sum);
    }
    assertThat(ws).containsEntry("ws-1", 10).containsEntry("ws-2", 10);
  }

  @Test
  void shouldTryNextBackendAndEjectRefusingOneWhenItsDialsKeepFailing() {
    up("echo-1", "echo", 1);
    up("echo-2", "echo", 2);
    Future<String> refuse = Future.failedFuture(new java.net.ConnectException("refused"));

    for (int i = 0; i < 20; i++) {
      Lease<String> c =
          connector
              .connect(
                  "echo", b -> b.id().equals("echo-1") ? refuse : Future.succeededFuture(b.id()))
              .await();
      assertThat(c.value()).isEqualTo("echo-2");
    }
    Backend refused = directory.live("echo").get(0);
    assertThat(refused.healthy()).isFalse();
    assertThat(refused.health().ejections()).isEqualTo(1);
    // Dialled until the fifth failure in a row ejected it; skipped afterwards.
    assertThat(refused.failedConnects()).isEqualTo(HealthConfig.DEFAULT_OUTLIER_CONSECUTIVE);

    // A fresh registry entry at another address is another process: its health starts afresh.
    up("echo-1", "echo", 11);
    assertThat(directory.live("echo").get(0).healthy()).isTrue();
  }

  @Test
  void shouldKeepDiallingTheLastBackendWhenEveryDialToItFails() {
    up("echo-1", "echo", 1);
    for (int i = 0; i < 10; i++) {
      connector
          .connect("echo", b -> Future.<String>failedFuture(new java.net.ConnectException("x")))
          .recover(e -> Future.succeededFuture())
          .await();
    }
    Backend only = directory.live("echo").get(0);
    assertThat(only.healthy()).isTrue();
    assertThat(only.health().ejections()).isZero();
    assertThat(only.failedConnects()).isEqualTo(10);
  }

  @Test
  void shouldEjectOnAnswersNotDialsWhenTheLeaseHolderReportsThem() {
    up("echo-1", "echo", 1);
    up("echo-2", "echo", 2);
    Backend failing = directory.live("echo").get(0);
    // Every dial succeeds (a pooled request); echo-1 answers 503: only the answers count.
    for (int i = 0; i < 2 * HealthConfig.DEFAULT_OUTLIER_CONSECUTIVE; i++) {
      Lease<String> lease = connector.connect("echo", b -> Future.succeededFuture(b.id())).await();
      lease.answered(lease.backend() == failing ? 503 : 200);
      lease.release();
    }

    assertThat(failing.healthy()).isFalse();
    assertThat(failing.health().outlier().reason()).isEqualTo("HTTP 503");
    assertThat(directory.live("echo").get(1).healthy()).isTrue();
  }

  @Test
  void shouldFailWithNoBackendWhenEveryDialFails() {
    up("echo-1", "echo", 1);
    up("echo-2", "echo", 2);

    Throwable error =
        connector
            .connect("echo", b -> Future.<String>failedFuture(new java.net.ConnectException("x")))
            .map(c -> (Throwable) null)
            .recover(Future::succeededFuture)
            .await();

    assertThat(error).isInstanceOf(NoBackendException.class);
  }

  @Test
  void shouldReleaseCountExactlyOnceWhenReleasedTwice() {
    up("echo-1", "echo", 1);
    Lease<String> c = connector.connect("echo", b -> Future.succeededFuture("x")).await();
    assertThat(c.backend().activeConnections()).isEqualTo(1);
    c.release();
    c.release();
    assertThat(c.backend().activeConnections()).isZero();
  }
}
