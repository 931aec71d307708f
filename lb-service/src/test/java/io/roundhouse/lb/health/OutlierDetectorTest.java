package io.roundhouse.lb.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.config.Settings;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Passive health on a clock the test moves: 3 failures in a row eject, for 5 s times the number of
 * ejections in a row, at most 12 s.
 */
class OutlierDetectorTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** A backend as health sees it. */
  record Node(String id, String service, BackendHealth health) implements Monitored {
    @Override
    public String host() {
      return "127.0.0.1";
    }

    @Override
    public int port() {
      return 1;
    }
  }

  private final HealthConfig config =
      HealthConfig.from(
          Settings.of(
              Map.of(
                  "LB_OUTLIER_CONSECUTIVE", "3",
                  "LB_OUTLIER_EJECTION", "5s",
                  "LB_OUTLIER_MAX_EJECTION", "12s")));
  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final List<Node> nodes = new ArrayList<>();
  private final OutlierDetector detector =
      new OutlierDetector(config, service -> List.copyOf(nodes), clock::get);

  private Node node(String id) {
    Node node = new Node(id, "ws", new BackendHealth(config, clock.get()));
    nodes.add(node);
    return node;
  }

  private void fail(Node node, int times) {
    for (int i = 0; i < times; i++) {
      detector.failed(node, new CheckFailure("HTTP 502"));
    }
  }

  private long ejectionSeconds(Node node) {
    return node.health().outlier().ejectionNanos() / SECOND;
  }

  @Test
  void shouldEjectAfterConsecutiveFailuresWhenAnotherBackendIsInRotation() {
    Node failing = node("ws-1");
    node("ws-2");

    fail(failing, 2);
    assertThat(failing.health().inRotation(clock.get())).isTrue();
    fail(failing, 1);

    assertThat(failing.health().inRotation(clock.get())).isFalse();
    assertThat(failing.health().ejections()).isEqualTo(1);
    assertThat(ejectionSeconds(failing)).isEqualTo(5);
    assertThat(failing.health().outlier().reason()).isEqualTo("HTTP 502");
  }

  @Test
  void shouldNotEjectWhenASuccessBreaksTheRun() {
    Node failing = node("ws-1");
    node("ws-2");

    fail(failing, 2);
    detector.succeeded(failing);
    fail(failing, 2);

    assertThat(failing.health().inRotation(clock.get())).isTrue();
    assertThat(failing.health().outlier().consecutive()).isEqualTo(2);
  }

  @Test
  void shouldCountA5xxAnswerAsAFailureAndA4xxAsASuccess() {
    Node failing = node("ws-1");
    node("ws-2");

    detector.answered(failing, 503);
    detector.answered(failing, 500);
    detector.answered(failing, 404);
    assertThat(failing.health().outlier().consecutive()).isZero();
    detector.answered(failing, 502);
    detector.answered(failing, 504);
    detector.answered(failing, 503);

    assertThat(failing.health().inRotation(clock.get())).isFalse();
    assertThat(failing.health().outlier().reason()).isEqualTo("HTTP 503");
  }

  @Test
  void shouldNeverEjectTheLastBackendInRotationOfItsService() {
    Node only = node("ws-1");
    Node down = node("ws-2");
    down.health().checkFailed(clock.get(), "timed out", 1);
    down.health().checkFailed(clock.get(), "timed out", 1);

    fail(only, 10);

    assertThat(only.health().inRotation(clock.get())).isTrue();
    assertThat(only.health().ejections()).isZero();
  }

  @Test
  void shouldNotEjectTheSecondWhenTheOtherIsAlreadyEjected() {
    Node first = node("ws-1");
    Node second = node("ws-2");

    fail(first, 3);
    fail(second, 3);

    assertThat(first.health().inRotation(clock.get())).isFalse();
    assertThat(second.health().inRotation(clock.get())).isTrue();
  }

  @Test
  void shouldReturnToRotationWhenTheEjectionEnds() {
    Node failing = node("ws-1");
    node("ws-2");
    fail(failing, 3);

    clock.addAndGet(5 * SECOND - 1);
    assertThat(failing.health().inRotation(clock.get())).isFalse();
    assertThat(failing.health().outlier().remainingNanos(clock.get())).isEqualTo(1);
    clock.addAndGet(1);

    assertThat(failing.health().inRotation(clock.get())).isTrue();
  }

  @Test
  void shouldEjectForLongerEachTimeUpToTheCapWhileItKeepsFailing() {
    Node failing = node("ws-1");
    node("ws-2");
    List<Long> lengths = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fail(failing, 3);
      lengths.add(ejectionSeconds(failing));
      clock.addAndGet(failing.health().outlier().ejectionNanos());
    }

    assertThat(lengths).containsExactly(5L, 10L, 12L, 12L);
    assertThat(failing.health().ejections()).isEqualTo(4);
  }

  @Test
  void shouldShortenTheNextEjectionWhenItStayedInForABasePeriod() {
    Node failing = node("ws-1");
    node("ws-2");
    fail(failing, 3);
    clock.addAndGet(5 * SECOND);
    fail(failing, 3);
    assertThat(ejectionSeconds(failing)).isEqualTo(10);
    clock.addAndGet(10 * SECOND);

    clock.addAndGet(5 * SECOND); // one base period in rotation: the multiplier drops from 2 to 1
    fail(failing, 3);

    assertThat(ejectionSeconds(failing)).isEqualTo(10);
    clock.addAndGet(10 * SECOND + 60 * SECOND); // long enough to forget every ejection
    fail(failing, 3);
    assertThat(ejectionSeconds(failing)).isEqualTo(5);
  }

  @Test
  void shouldNotCountFailuresOfTrafficSentBeforeTheEjectionWhileItLasts() {
    Node failing = node("ws-1");
    node("ws-2");
    fail(failing, 3);

    fail(failing, 10);

    assertThat(failing.health().ejections()).isEqualTo(1);
    assertThat(ejectionSeconds(failing)).isEqualTo(5);
  }

  @Test
  void shouldIgnoreAFullPoolWhenCountingFailures() {
    Node busy = node("ws-1");
    node("ws-2");

    for (int i = 0; i < 5; i++) {
      detector.failed(busy, new ConnectionPoolTooBusyException("full"));
    }

    assertThat(busy.health().outlier().consecutive()).isZero();
  }

  @Test
  void shouldNeverEjectWhenConsecutiveIsZero() {
    HealthConfig off = HealthConfig.from(Settings.of(Map.of("LB_OUTLIER_CONSECUTIVE", "0")));
    Node failing = new Node("ws-1", "ws", new BackendHealth(off, 0));
    Node other = new Node("ws-2", "ws", new BackendHealth(off, 0));
    OutlierDetector disabled = new OutlierDetector(off, s -> List.of(failing, other), clock::get);

    for (int i = 0; i < 50; i++) {
      disabled.failed(failing, new CheckFailure("HTTP 500"));
    }

    assertThat(failing.health().inRotation(clock.get())).isTrue();
  }
}
