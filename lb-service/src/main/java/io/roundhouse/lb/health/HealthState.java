package io.roundhouse.lb.health;

import java.util.Locale;

/**
 * A backend's standing with the active checks: an immutable state, each check result giving the
 * next one. A new backend starts {@link Status#CHECKING}: in rotation at once (optimistic, like a
 * server with no check yet), up on its first pass, out after {@code fall} failures in a row. An up
 * backend goes down after {@code fall} failures in a row; a down one comes back after {@code rise}
 * passes in a row.
 *
 * @param status where the backend stands
 * @param passes consecutive passed checks, up to now
 * @param failures consecutive failed checks, up to now
 * @param reason why it stands there, in words: the last check's result and the count towards a
 *     change
 * @param latencyNanos how long the last check took, or -1 before the first
 * @param sinceNanos when it entered {@code status}, on the {@link System#nanoTime()} clock
 */
public record HealthState(
    Status status, int passes, int failures, String reason, long latencyNanos, long sinceNanos) {

  /** The states of the active checks. */
  public enum Status {
    /** No check has passed yet; in rotation, unless {@code fall} checks have failed. */
    CHECKING,
    /** The last {@code fall} checks did not all fail: in rotation. */
    UP,
    /** Failed {@code fall} checks in a row and has not passed {@code rise} since: out. */
    DOWN;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String PASSED = "ok";

  /** A backend just registered, before any check. */
  public static HealthState checking(long nowNanos) {
    return new HealthState(Status.CHECKING, 0, 0, "no check yet", -1, nowNanos);
  }

  /** A backend of a balancer that runs no checks: up from its registration. */
  public static HealthState unchecked(long nowNanos) {
    return new HealthState(Status.UP, 0, 0, "checks off", -1, nowNanos);
  }

  public boolean inRotation() {
    return status != Status.DOWN;
  }

  /** The next state after a passed check. */
  public HealthState passed(long nowNanos, long latency, int rise) {
    int streak = passes + 1;
    return switch (status) {
      case CHECKING -> new HealthState(Status.UP, streak, 0, PASSED, latency, nowNanos);
      case UP -> new HealthState(Status.UP, streak, 0, PASSED, latency, sinceNanos);
      case DOWN ->
          streak >= rise
              ? new HealthState(Status.UP, streak, 0, PASSED, latency, nowNanos)
              : new HealthState(
                  Status.DOWN,
                  streak,
                  0,
                  "recovering: " + streak + " of " + rise + " passes",
                  latency,
                  sinceNanos);
    };
  }

  /** The next state after a failed check, failed for {@code why}. */
  public HealthState failed(long nowNanos, String why, long latency, int fall) {
    int streak = failures + 1;
    if (status == Status.DOWN) {
      return new HealthState(Status.DOWN, 0, streak, why, latency, sinceNanos);
    }
    if (streak >= fall) {
      return new HealthState(Status.DOWN, 0, streak, why, latency, nowNanos);
    }
    return new HealthState(
        status, 0, streak, why + " (" + streak + " of " + fall + " failures)", latency, sinceNanos);
  }
}
