package io.roundhouse.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Errors;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * TCP half-closure and resets, which Vert.x's {@link NetSocket} does not expose: a peer that shuts
 * down its sending side ({@code nc -N}, {@code shutdown(SHUT_WR)}) must still receive every byte
 * owed to it, and a peer whose connection was reset must learn it as a reset, not as a clean end.
 */
public final class Sockets {

  /** The name Vert.x gives its idle-state handler in a channel pipeline. */
  private static final String IDLE = "idle";

  private Sockets() {}

  /** Keeps the socket open after the peer's FIN; the FIN arrives as an input-shutdown event. */
  public static void allowHalfClosure(NetSocket socket) {
    Channel channel = channel(socket);
    if (channel != null) {
      channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }
  }

  /**
   * Sends FIN to the peer, after every byte already written to the socket, and keeps reading;
   * closes the socket when it cannot half-close.
   */
  public static Future<Void> shutdownOutput(NetSocket socket) {
    Channel channel = channel(socket);
    if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
      return socket.close();
    }
    // Shut down only once everything written so far is out: Netty's shutdownOutput drops what is
    // still queued, and one made while the channel is over its high-water mark (as in the listener
    // of a big write: Netty completes a write before it lowers the pending bytes) leaves Vert.x
    // seeing the channel unwritable for good, so a later close() waits for ever behind it. Writes
    // complete in order: an empty one completes once all before it are written and counted.
    Promise<Void> promise = Promise.promise();
    ((NetSocketInternal) socket)
        .writeMessage(Unpooled.EMPTY_BUFFER)
        .onComplete(
            flushed -> {
              if (flushed.failed()) {
                socket.close().onComplete(promise);
                return;
              }
              duplex
                  .shutdownOutput()
                  .addListener(
                      f -> {
                        if (f.isSuccess()) {
                          promise.complete();
                        } else {
                          socket.close().onComplete(promise);
                        }
                      });
            });
    return promise.future();
  }

  /**
   * Closes with an RST instead of a FIN ({@code SO_LINGER} 0): the peer's next read fails, so it
   * cannot take a stream cut short for a complete one. What is still unsent is dropped.
   */
  public static Future<Void> reset(NetSocket socket) {
    Channel channel = channel(socket);
    if (channel != null) {
      lingerZero(channel);
    }
    return socket.close();
  }

  /** Makes the channel's next close an RST ({@code SO_LINGER} 0); a no-op once it is closed. */
  static void lingerZero(Channel channel) {
    if (channel.isOpen()) {
      try {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (ChannelException closedMeanwhile) {
        // The close that follows still ends the connection, with a FIN.
      }
    }
  }

  /** Whether a socket's error is its peer resetting the connection (ECONNRESET). */
  public static boolean isReset(Throwable error) {
    if (error instanceof Errors.NativeIoException e) {
      return e.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE;
    }
    return error instanceof IOException
        && error.getMessage() != null
        && error.getMessage().startsWith("Connection reset");
  }

  /**
   * Replaces the socket's idle timeout (the one inherited from its server or client options), for a
   * connection whose role changed: an upgraded WebSocket tunnel idles longer than keep-alive.
   */
  public static void setIdleTimeout(NetSocket socket, Duration timeout) {
    Channel channel = channel(socket);
    if (channel != null) {
      setIdleTimeout(channel, timeout);
    }
  }

  /** Replaces the channel's idle timeout ({@code IdleStateHandler} "idle"); zero removes it. */
  public static void setIdleTimeout(Channel channel, Duration timeout) {
    ChannelPipeline pipeline = channel.pipeline();
    boolean present = pipeline.get(IDLE) != null;
    if (timeout.isZero()) {
      if (present) {
        pipeline.remove(IDLE);
      }
      return;
    }
    IdleStateHandler handler =
        new IdleStateHandler(0, 0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (present) {
      pipeline.replace(IDLE, IDLE, handler);
    } else {
      pipeline.addFirst(IDLE, handler);
    }
  }

  /**
   * Whether the socket's connection is still open. A socket obtained after its connection closed
   * (an upgrade whose client left while the pipeline was being switched) never reports the close.
   */
  public static boolean isOpen(NetSocket socket) {
    Channel channel = channel(socket);
    return channel == null || channel.isActive();
  }

  /**
   * The socket's Netty channel, or null for a socket that is a stream over another protocol (the
   * HTTP client's upgraded connection), which then gets the plain {@link NetSocket} behaviour.
   */
  static Channel channel(NetSocket socket) {
    return socket instanceof NetSocketInternal raw ? raw.channelHandlerContext().channel() : null;
  }
}
