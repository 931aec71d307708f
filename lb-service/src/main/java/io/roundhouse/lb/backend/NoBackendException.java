package io.roundhouse.lb.backend;

/** No live backend of the service could be reached. */
public final class NoBackendException extends RuntimeException {

  public NoBackendException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
