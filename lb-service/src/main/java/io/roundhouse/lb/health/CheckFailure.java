package io.roundhouse.lb.health;

/** A backend answered, but not as a healthy one does: a 5xx, a 503 on its health path, no echo. */
public final class CheckFailure extends RuntimeException {

  public CheckFailure(String message) {
    super(message, null, false, false);
  }
}
