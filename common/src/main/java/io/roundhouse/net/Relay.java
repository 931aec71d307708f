package io.roundhouse.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Moves bytes one way, from a source socket to a target socket, with backpressure: when the
 * target's write queue is full the source is paused until the target drains, so a slow reader never
 * makes us buffer without bound.
 *
 * <p>Between two TCP sockets buffers are handed over without copying, and the source's FIN is seen
 * in order with its bytes. A socket that is a stream over another protocol (the HTTP client's
 * upgraded connection) is read and written through the plain {@link NetSocket} API.
 *
 * <p>{@link #ended()} completes once the source has sent FIN (or closed) and every byte read from
 * it has been written to the target's socket.
 */
public final class Relay {

  private final NetSocket source;
  private NetSocket target;
  private NetSocketInternal rawTarget;
  private final Promise<Void> ended = Promise.promise();
  private Future<Void> lastWrite = Future.succeededFuture();
  private boolean paused;
  private boolean endSeen;

  private Relay(NetSocket source) {
    this.source = source;
  }

  /**
   * Starts relaying. Call {@link Sockets#allowHalfClosure} on the source first to learn of its FIN
   * without the socket closing; otherwise a FIN closes it and ends the relay.
   */
  public static Relay start(NetSocket source, NetSocket target) {
    return hold(source).to(target);
  }

  /**
   * Takes over the source's reads and pauses it: bytes and a FIN that arrive before {@link #to} are
   * kept, in order, and delivered once the target is known.
   */
  public static Relay hold(NetSocket source) {
    Relay relay = new Relay(source);
    if (source instanceof NetSocketInternal raw) {
      raw.messageHandler(relay::onMessage);
      raw.eventHandler(relay::onEvent);
    } else {
      source.handler(relay::onBuffer);
    }
    source.endHandler(v -> relay.onSourceEnd());
    relay.paused = true;
    source.pause();
    return relay;
  }

  /** Starts moving held and future bytes to {@code target}. */
  public Relay to(NetSocket target) {
    this.target = target;
    this.rawTarget = target instanceof NetSocketInternal raw ? raw : null;
    target.drainHandler(v -> onTargetDrained());
    onTargetDrained();
    return this;
  }

  /** Completes when the source ended and all its bytes were written to the target. */
  public Future<Void> ended() {
    return ended.future();
  }

  /** Completes when every byte relayed so far has been written to the target's socket. */
  public Future<Void> flushed() {
    return lastWrite;
  }

  private void onMessage(Object message) {
    if (!(message instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (rawTarget != null) {
      lastWrite = rawTarget.writeMessage(buf);
    } else {
      lastWrite = target.write(BufferInternal.safeBuffer(buf));
    }
    checkTargetFull();
  }

  private void onBuffer(Buffer buffer) {
    lastWrite = target.write(buffer);
    checkTargetFull();
  }

  private void checkTargetFull() {
    if (!paused && target.writeQueueFull()) {
      paused = true;
      source.pause();
    }
  }

  private void onTargetDrained() {
    if (paused) {
      paused = false;
      // A TCP source delivers what it queued while paused synchronously, before endSeen is read.
      source.resume();
      if (!paused && endSeen) {
        finish();
      }
    }
  }

  private void onEvent(Object event) {
    if (event == ChannelInputShutdownEvent.INSTANCE) {
      onSourceEnd();
    } else {
      ReferenceCountUtil.release(event);
    }
  }

  private void onSourceEnd() {
    endSeen = true;
    if (!paused && target != null) {
      finish();
    }
  }

  private void finish() {
    lastWrite.onComplete(ar -> ended.tryComplete());
  }
}
