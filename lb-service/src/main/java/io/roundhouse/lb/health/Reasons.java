package io.roundhouse.lb.health;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** A failure in the few words that {@code /api/nodes} and the dashboard show as a reason. */
final class Reasons {

  private Reasons() {}

  static String of(Throwable error) {
    if (error instanceof CheckFailure) {
      return error.getMessage();
    }
    if (isTimeout(error) || error instanceof ConnectTimeoutException) {
      return "timed out";
    }
    if (error instanceof ConnectException
        && String.valueOf(error.getMessage()).contains("refused")) {
      return "connection refused";
    }
    String message = error.getMessage();
    return message == null ? error.getClass().getSimpleName() : message;
  }

  static boolean isTimeout(Throwable error) {
    return error instanceof TimeoutException || error.getCause() instanceof TimeoutException;
  }
}
