package io.roundhouse.net;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A far end of a relay or splice, driven by the test: it keeps every byte it receives and reports
 * its peer's FIN and its own close. It allows half-closure, so a FIN it receives leaves it able to
 * write, and it can shut its own output, close, or reset the connection.
 */
final class Peer {

  private final NetSocket socket;
  private final Promise<Void> fin = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private final Promise<Void> reset = Promise.promise();
  private final Buffer received = Buffer.buffer();
  private final List<Awaited> awaited = new ArrayList<>();

  private record Awaited(int bytes, Promise<Buffer> promise) {}

  private Peer(NetSocket socket) {
    this.socket = socket;
  }

  /** Takes over {@code socket}'s handlers; call on its event loop, before it can read. */
  static Peer of(NetSocket socket) {
    Peer peer = new Peer(socket);
    Sockets.allowHalfClosure(socket);
    ((NetSocketInternal) socket)
        .eventHandler(
            event -> {
              if (event == ChannelInputShutdownEvent.INSTANCE) {
                peer.fin.tryComplete();
              } else {
                ReferenceCountUtil.release(event);
              }
            });
    socket.handler(peer::onBytes);
    socket.closeHandler(v -> peer.closed.tryComplete());
    socket.exceptionHandler(
        e -> {
          if (Sockets.isReset(e)) {
            peer.reset.tryComplete();
          }
        });
    return peer;
  }

  private void onBytes(Buffer bytes) {
    List<Awaited> reached = new ArrayList<>();
    Buffer snapshot = null;
    synchronized (this) {
      received.appendBuffer(bytes);
      int length = received.length();
      awaited.removeIf(a -> a.bytes() <= length && reached.add(a));
      if (!reached.isEmpty()) {
        snapshot = received.copy();
      }
    }
    for (Awaited a : reached) {
      a.promise().tryComplete(snapshot);
    }
  }

  /** Completes with everything received once at least {@code bytes} bytes have arrived. */
  Future<Buffer> received(int bytes) {
    Promise<Buffer> promise = Promise.promise();
    Buffer snapshot = null;
    synchronized (this) {
      if (received.length() >= bytes) {
        snapshot = received.copy();
      } else {
        awaited.add(new Awaited(bytes, promise));
      }
    }
    if (snapshot != null) {
      promise.complete(snapshot);
    }
    return promise.future();
  }

  /** Waits for at least {@code bytes} bytes, and fails with how many came if they do not. */
  Buffer awaitReceived(int bytes) {
    try {
      return Loopback.await(received(bytes));
    } catch (AssertionError e) {
      throw new AssertionError(
          "received "
              + receivedLength()
              + " of "
              + bytes
              + " bytes"
              + (fin.future().isComplete() ? ", then FIN" : "")
              + (closed.future().isComplete() ? ", then closed" : ""),
          e);
    }
  }

  /** How many bytes arrived so far. */
  synchronized int receivedLength() {
    return received.length();
  }

  /** Completes when the other end's FIN arrived (the connection may still be open). */
  Future<Void> fin() {
    return fin.future();
  }

  /** Completes when this end's connection closed. */
  Future<Void> closed() {
    return closed.future();
  }

  /**
   * Completes when the other end reset the connection: a read failed with ECONNRESET, or a write
   * still owed to the other end failed (the RST then surfaces as a failed write, not as an error).
   */
  Future<Void> wasReset() {
    return reset.future();
  }

  /** Whether the connection ended with a reset from the other end, once it has closed. */
  boolean endedWithReset() {
    return reset.future().isComplete();
  }

  Future<Void> write(Buffer bytes) {
    Future<Void> written = socket.write(bytes);
    written.onFailure(e -> reset.tryComplete());
    return written;
  }

  Future<Void> shutdownOutput() {
    return Sockets.shutdownOutput(socket);
  }

  /** Stops reading, so that what is sent to it piles up in the kernel and then in the sender. */
  void pause() {
    socket.pause();
  }

  void resume() {
    socket.resume();
  }

  Future<Void> close() {
    return socket.close();
  }

  /** Closes with an RST instead of a FIN: the other end's next read fails. */
  Future<Void> reset() {
    Sockets.channel(socket).config().setOption(ChannelOption.SO_LINGER, 0);
    return socket.close();
  }
}
