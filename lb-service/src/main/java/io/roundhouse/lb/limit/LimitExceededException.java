package io.roundhouse.lb.limit;

/**
 * A limit turned a connection or request away; the edge maps it to its {@link Rejection}'s status
 * (503 or 429, with {@code Retry-After}) or, for TCP, a close.
 */
public final class LimitExceededException extends RuntimeException {

  private final Rejection rejection;

  public LimitExceededException(Rejection rejection, String message) {
    super(message, null, false, false);
    this.rejection = rejection;
  }

  public Rejection rejection() {
    return rejection;
  }
}
