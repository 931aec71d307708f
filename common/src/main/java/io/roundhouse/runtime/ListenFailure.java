package io.roundhouse.runtime;

/** A listener that could not bind, with the port in the message (Netty's names neither). */
public final class ListenFailure extends IllegalStateException {

  private ListenFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public static ListenFailure of(String host, int port, Throwable cause) {
    return new ListenFailure(
        "cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
  }

  static ListenFailure of(int port, Throwable cause) {
    return new ListenFailure("cannot listen on port " + port + ": " + cause.getMessage(), cause);
  }
}
