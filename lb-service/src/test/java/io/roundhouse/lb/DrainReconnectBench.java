package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (no default run picks it up): reconnects per second through a drain of a ws
 * node holding {@code bench.users} WebSockets (default 1,000), drained all at once (period 0, what
 * a proxy that closes everything at its deadline does) and spread over {@code bench.period}
 * (default 15 s). Run: {@code ./mvnw -pl lb-service verify -Dtest=DrainReconnectBench
 * -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}; it prints a table for docs/CLUSTER.md.
 */
class DrainReconnectBench {

  private static final int USERS = Integer.getInteger("bench.users", 1_000);
  private static final String PERIOD = System.getProperty("bench.period", "15s");

  @Test
  void measureReconnectsPerSecondThroughADrain() throws Exception {
    List<String> rows = new ArrayList<>();
    for (String period : List.of("0s", PERIOD)) {
      rows.add(run(period));
    }
    System.out.println();
    System.out.println(
        "| drain period | users | peak reconnects in 100 ms | peak in 1 s | drain took |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private String run(String period) throws Exception {
    try (ClusterFixture fixture = new ClusterFixture()) {
      fixture.ws("ws-1");
      LbService lb = fixture.lb(Map.of("LB_STRATEGY", "least_connections", "LB_MAXCONN", "0"));
      fixture.awaitNodes(lb, "ws", nodes -> nodes.size() == 1);
      try (HeldWebSockets users =
          new HeldWebSockets(fixture.clients, lb.httpPort(), Set.of(1001))) {
        users.open(USERS);
        fixture.ws("ws-2");
        fixture.awaitNodes(lb, "ws", nodes -> nodes.size() == 2);
        assertThat(
                fixture
                    .testClients()
                    .post(lb.adminPort(), "/api/nodes/ws-1/drain?period=" + period)
                    .status())
            .isEqualTo(202);
        Eventually.until(
            Duration.ofSeconds(120),
            "every user back, on ws-2",
            () -> users.perNode().equals(Map.of("ws-2", USERS)));
        long[] at =
            users.closes().stream().mapToLong(HeldWebSockets.Close::atNanos).sorted().toArray();
        return "| "
            + period
            + " | "
            + USERS
            + " | "
            + peak(at, 100_000_000L)
            + " | "
            + peak(at, 1_000_000_000L)
            + " | "
            + String.format("%.1f s", (at[at.length - 1] - at[0]) / 1e9)
            + " |";
      }
    }
  }

  /** The most closes within any window of {@code nanos}. */
  private static int peak(long[] at, long nanos) {
    int best = 0;
    int from = 0;
    for (int to = 0; to < at.length; to++) {
      while (at[to] - at[from] >= nanos) {
        from++;
      }
      best = Math.max(best, to - from + 1);
    }
    return best;
  }
}
