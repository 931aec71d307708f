package io.roundhouse.lb.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.health.HealthState.Status;
import org.junit.jupiter.api.Test;

/** The active checks' state machine, state by state, with rise 2 and fall 2 unless said. */
class HealthStateTest {

  private static final int RISE = 2;
  private static final int FALL = 2;
  private static final long MS = 1_000_000;

  private static HealthState up() {
    return HealthState.checking(0).passed(10, MS, RISE);
  }

  private static HealthState down() {
    return up().failed(20, "timed out", MS, FALL).failed(30, "timed out", MS, FALL);
  }

  @Test
  void shouldStartCheckingAndInRotationWhenNew() {
    HealthState state = HealthState.checking(5);

    assertThat(state.status()).isEqualTo(Status.CHECKING);
    assertThat(state.inRotation()).isTrue();
    assertThat(state.reason()).isEqualTo("no check yet");
    assertThat(state.latencyNanos()).isEqualTo(-1);
    assertThat(state.sinceNanos()).isEqualTo(5);
  }

  @Test
  void shouldGoUpOnTheFirstPassWhenChecking() {
    HealthState state = HealthState.checking(0).passed(7, 3 * MS, RISE);

    assertThat(state.status()).isEqualTo(Status.UP);
    assertThat(state.reason()).isEqualTo("ok");
    assertThat(state.latencyNanos()).isEqualTo(3 * MS);
    assertThat(state.sinceNanos()).as("up since its first pass").isEqualTo(7);
  }

  @Test
  void shouldStayInRotationUntilFallFailuresWhenChecking() {
    HealthState once = HealthState.checking(0).failed(1, "connection refused", MS, FALL);
    HealthState twice = once.failed(2, "connection refused", MS, FALL);

    assertThat(once.status()).isEqualTo(Status.CHECKING);
    assertThat(once.inRotation()).isTrue();
    assertThat(once.reason()).isEqualTo("connection refused (1 of 2 failures)");
    assertThat(twice.status()).isEqualTo(Status.DOWN);
    assertThat(twice.inRotation()).isFalse();
    assertThat(twice.reason()).isEqualTo("connection refused");
    assertThat(twice.sinceNanos()).isEqualTo(2);
  }

  @Test
  void shouldStayUpAndCountWhenOneCheckFails() {
    HealthState state = up().failed(20, "HTTP 503", 4 * MS, FALL);

    assertThat(state.status()).isEqualTo(Status.UP);
    assertThat(state.failures()).isEqualTo(1);
    assertThat(state.passes()).isZero();
    assertThat(state.reason()).isEqualTo("HTTP 503 (1 of 2 failures)");
    assertThat(state.latencyNanos()).isEqualTo(4 * MS);
    assertThat(state.sinceNanos()).as("still up since its first pass").isEqualTo(10);
  }

  @Test
  void shouldForgetAFailureWhenTheNextCheckPasses() {
    HealthState state =
        up().failed(20, "HTTP 503", MS, FALL).passed(30, MS, RISE).failed(40, "HTTP 503", MS, FALL);

    assertThat(state.status()).isEqualTo(Status.UP);
    assertThat(state.failures()).isEqualTo(1);
  }

  @Test
  void shouldGoDownAfterFallFailuresInARowWhenUp() {
    HealthState state = down();

    assertThat(state.status()).isEqualTo(Status.DOWN);
    assertThat(state.inRotation()).isFalse();
    assertThat(state.reason()).isEqualTo("timed out");
    assertThat(state.sinceNanos()).isEqualTo(30);
  }

  @Test
  void shouldGoDownOnTheFirstFailureWhenFallIsOne() {
    assertThat(up().failed(20, "timed out", MS, 1).status()).isEqualTo(Status.DOWN);
  }

  @Test
  void shouldStayDownAndSayHowFarWhenFewerThanRisePass() {
    HealthState state = down().passed(40, 2 * MS, RISE);

    assertThat(state.status()).isEqualTo(Status.DOWN);
    assertThat(state.inRotation()).isFalse();
    assertThat(state.reason()).isEqualTo("recovering: 1 of 2 passes");
    assertThat(state.latencyNanos()).isEqualTo(2 * MS);
    assertThat(state.sinceNanos()).isEqualTo(30);
  }

  @Test
  void shouldComeBackUpAfterRisePassesInARowWhenDown() {
    HealthState state = down().passed(40, MS, RISE).passed(50, MS, RISE);

    assertThat(state.status()).isEqualTo(Status.UP);
    assertThat(state.inRotation()).isTrue();
    assertThat(state.reason()).isEqualTo("ok");
    assertThat(state.sinceNanos()).as("up again since the pass that brought it back").isEqualTo(50);
  }

  @Test
  void shouldStartRiseAfreshWhenACheckFailsWhileDown() {
    HealthState state =
        down().passed(40, MS, RISE).failed(50, "HTTP 503", MS, FALL).passed(60, MS, RISE);

    assertThat(state.status()).isEqualTo(Status.DOWN);
    assertThat(state.passes()).isEqualTo(1);
  }

  @Test
  void shouldKeepTheLatestReasonWhenFailingWhileDown() {
    HealthState state = down().failed(40, "connection refused", MS, FALL);

    assertThat(state.reason()).isEqualTo("connection refused");
    assertThat(state.failures()).isEqualTo(3);
  }

  @Test
  void shouldBeUpFromRegistrationWhenChecksAreOff() {
    HealthState state = HealthState.unchecked(9);

    assertThat(state.status()).isEqualTo(Status.UP);
    assertThat(state.reason()).isEqualTo("checks off");
    assertThat(state.sinceNanos()).isEqualTo(9);
  }
}
