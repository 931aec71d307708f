package io.roundhouse.lb.conn;

/**
 * What a connection has carried, read from the loop that owns it by the admin's thread: the figures
 * may be a moment old, never torn (64-bit fields on a 64-bit JVM, written by one thread).
 */
public interface Traffic {

  /** Bytes (or datagram payload bytes) from the client toward the backend. */
  long bytesFromClient();

  /** Bytes from the backend (or the balancer) toward the client. */
  long bytesToClient();

  /** {@link System#nanoTime()} of the last read on either leg. */
  long lastActiveNanos();

  Traffic NONE =
      new Traffic() {
        @Override
        public long bytesFromClient() {
          return 0;
        }

        @Override
        public long bytesToClient() {
          return 0;
        }

        @Override
        public long lastActiveNanos() {
          return 0;
        }
      };
}
