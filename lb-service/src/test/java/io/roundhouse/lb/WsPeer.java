package io.roundhouse.lb;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One end of a WebSocket for the shed tests, on its Vert.x context: it can stream numbered 100 kB
 * binary messages (a sequence number, then a pattern it determines) as fast as backpressure lets
 * it, and it checks every message it gets, frame by frame: whole, in order, intact. Read by the
 * test's thread, hence the volatile fields.
 */
final class WsPeer {

  /** What the peer saw when its WebSocket closed. */
  record Closed(short code, String reason, int partialBytes) {}

  static final int MESSAGE_SIZE = 100 * 1024;

  private final WebSocketBase socket;
  private final Promise<Closed> closed = Promise.promise();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private Buffer partial = Buffer.buffer();
  private long sent;
  private volatile long received;
  private volatile boolean heldBack;
  private volatile boolean ended;

  WsPeer(WebSocketBase socket) {
    this.socket = socket;
    socket.frameHandler(this::onFrame);
    socket.closeHandler(
        v -> {
          ended = true;
          closed.tryComplete(
              new Closed(socket.closeStatusCode(), socket.closeReason(), partial.length()));
        });
    socket.exceptionHandler(e -> errors.add("error: " + e));
  }

  WebSocketBase socket() {
    return socket;
  }

  /**
   * Writes messages until the socket closes, waiting whenever its write queue is full, and a few at
   * a time: a peer that reads as fast as this writes (a balancer dropping what it gets) must not
   * keep the event loop from the close frame.
   */
  void stream() {
    Context context = Vertx.currentContext();
    for (int burst = 0; burst < 4; burst++) {
      if (ended || socket.isClosed()) {
        return;
      }
      if (socket.writeQueueFull()) {
        heldBack = true;
        socket.drainHandler(
            v -> {
              heldBack = false;
              stream();
            });
        return;
      }
      socket.writeBinaryMessage(message(sent++));
    }
    context.runOnContext(v -> stream());
  }

  /** Whether the last write found the queue full, and no drain has come since. */
  boolean heldBack() {
    return heldBack;
  }

  /** Whole, intact messages received. */
  long messages() {
    return received;
  }

  /** Every message that was not whole, in order and intact; and any socket error. */
  List<String> errors() {
    return errors;
  }

  /** Completes when the socket closes, with the close frame's code and reason. */
  Future<Closed> closed() {
    return closed.future();
  }

  private static byte patternAt(long seq, int i) {
    return (byte) (seq * 31 + i * 7);
  }

  static Buffer message(long seq) {
    Buffer message = Buffer.buffer(MESSAGE_SIZE).appendLong(seq);
    for (int i = 8; i < MESSAGE_SIZE; i++) {
      message.appendByte(patternAt(seq, i));
    }
    return message;
  }

  private void onFrame(WebSocketFrame frame) {
    if (!frame.isBinary() && !frame.isContinuation() && !frame.isText()) {
      return;
    }
    partial.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      check(partial);
      partial = Buffer.buffer();
    }
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the socket's context
  private void check(Buffer message) {
    long expected = received;
    if (message.length() != MESSAGE_SIZE) {
      errors.add("message " + expected + " has " + message.length() + " bytes");
      return;
    }
    if (message.getLong(0) != expected) {
      errors.add("message " + message.getLong(0) + " came where " + expected + " was due");
      return;
    }
    for (int i = 8; i < MESSAGE_SIZE; i++) {
      if (message.getByte(i) != patternAt(expected, i)) {
        errors.add("message " + expected + " differs at byte " + i);
        return;
      }
    }
    received++;
  }
}
