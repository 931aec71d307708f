package io.roundhouse.lb.http;

/** A backend failed a WebSocket upgrade: it closed, or answered with something unusable (502). */
final class UpgradeException extends RuntimeException {

  UpgradeException(String message) {
    super(message, null, false, false);
  }

  UpgradeException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
