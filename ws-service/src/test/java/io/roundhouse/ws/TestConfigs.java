package io.roundhouse.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.metrics.MetricsConfig;
import io.roundhouse.stats.ConnectionCounter;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Settings and waits shared by the tests: small limits so they are easy to cross. */
final class TestConfigs {

  static final int MAX_FRAME_SIZE = 16_384;
  static final int MAX_MESSAGE_SIZE = 65_536;

  private TestConfigs() {}

  /** On 127.0.0.1, port 0, two listener instances. */
  static WsConfig ws(String nodeId, ClusterConfig cluster) {
    return new WsConfig(
        nodeId,
        "127.0.0.1",
        "127.0.0.1",
        0,
        2,
        Duration.ofMinutes(1),
        MAX_FRAME_SIZE,
        MAX_MESSAGE_SIZE,
        Duration.ofSeconds(1),
        MetricsConfig.DEFAULT,
        cluster);
  }

  /** Waits (bounded) until the node has exactly {@code expected} open WebSockets. */
  static void awaitActive(ConnectionCounter counter, long expected) throws InterruptedException {
    awaitTrue(() -> counter.active() == expected, "active connections == " + expected);
    assertThat(counter.active()).isEqualTo(expected);
  }

  /** Polls a condition until it holds, failing after {@link TestSocket#WAIT_SECONDS}. */
  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(TestSocket.WAIT_SECONDS).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
