package io.roundhouse.lb.conn;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * How one live connection can be ended on purpose, by a rebalance or a drain, without cutting what
 * it carries. Set by the frontend that owns the connection; called from any thread (the
 * implementation hops to the connection's event loop).
 */
public interface Shedder {

  /** A connection that cannot be shed (a plain HTTP keep-alive connection, a UDP flow). */
  Shedder NONE = (reason, idleAtLeast) -> Future.succeededFuture(false);

  /**
   * Ends the connection cleanly, if it can be now.
   *
   * <ul>
   *   <li>WebSocket tunnel: always; the client gets a close frame with {@code reason}'s code at the
   *       next frame boundary of the backend-to-client stream, the backend a close frame at the
   *       next boundary of the client-to-backend stream, and both channels close within bounded
   *       time. {@code idleAtLeast} is ignored: a frame boundary never cuts a message. The
   *       boundaries used are message boundaries (never between the fragments of one message,
   *       unless that stream ends there), and the backend's close frame has code 1001.
   *   <li>TCP splice: only if neither leg read anything for {@code idleAtLeast} ({@link
   *       Duration#ZERO}: now, whatever it carries, as at a drain's deadline); both sides then get
   *       a FIN after every byte owed to them.
   * </ul>
   *
   * @return true once the connection is being closed, false if it was left open (a busy TCP stream,
   *     or one that cannot be shed)
   */
  Future<Boolean> shed(ShedReason reason, Duration idleAtLeast);
}
