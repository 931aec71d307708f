package io.roundhouse.ws;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Joins a WebSocket's frames into whole messages. A message that outgrows the limit closes the
 * socket with 1009 (message too big), and a text message that is not UTF-8 with 1007 (invalid
 * payload); Vert.x itself would drop the one silently and pass the other on.
 */
final class MessageAssembler implements Handler<WebSocketFrame> {

  static final short INVALID_PAYLOAD = 1007;
  static final short MESSAGE_TOO_BIG = 1009;

  private final WebSocketBase socket;
  private final int maxMessageSize;
  private final Handler<WsMessage> sink;
  private Buffer partial;
  private boolean partialText;
  private boolean failed;

  private MessageAssembler(WebSocketBase socket, int maxMessageSize, Handler<WsMessage> sink) {
    this.socket = socket;
    this.maxMessageSize = maxMessageSize;
    this.sink = sink;
  }

  /** Installs an assembler as the socket's frame handler. */
  static void install(WebSocketBase socket, int maxMessageSize, Handler<WsMessage> sink) {
    socket.frameHandler(new MessageAssembler(socket, maxMessageSize, sink));
  }

  @Override
  public void handle(WebSocketFrame frame) {
    if (failed) {
      return;
    }
    if (frame.isText() || frame.isBinary()) {
      partial = null;
      partialText = frame.isText();
      if (!fits(0, frame)) {
        return;
      }
      if (frame.isFinal()) {
        deliver(frame.binaryData());
      } else {
        partial = Buffer.buffer().appendBuffer(frame.binaryData());
      }
    } else if (frame.isContinuation() && partial != null) {
      if (!fits(partial.length(), frame)) {
        return;
      }
      partial.appendBuffer(frame.binaryData());
      if (frame.isFinal()) {
        Buffer whole = partial;
        partial = null;
        deliver(whole);
      }
    }
    // Close, ping and pong frames are handled by Vert.x.
  }

  private boolean fits(int sofar, WebSocketFrame frame) {
    if ((long) sofar + frame.binaryData().length() <= maxMessageSize) {
      return true;
    }
    fail(MESSAGE_TOO_BIG, "Message too big");
    return false;
  }

  private void deliver(Buffer data) {
    if (partialText && !isUtf8(data)) {
      fail(INVALID_PAYLOAD, "Text message is not UTF-8");
      return;
    }
    sink.handle(new WsMessage(data, partialText));
  }

  private void fail(short status, String reason) {
    failed = true;
    partial = null;
    socket.close(status, reason);
  }

  static boolean isUtf8(Buffer data) {
    try {
      // A fresh decoder reports malformed input rather than replacing it.
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data.getBytes()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
