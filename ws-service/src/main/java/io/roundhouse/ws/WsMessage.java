package io.roundhouse.ws;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.nio.charset.StandardCharsets;

/**
 * One whole WebSocket message: its payload and whether it was text or binary.
 *
 * @param data the payload; UTF-8 for a text message
 * @param text true for a text message, false for a binary one
 */
record WsMessage(Buffer data, boolean text) {

  /** Sends the message as it came in: text as text, bytes as bytes. */
  Future<Void> writeTo(WebSocketBase socket) {
    return text
        ? socket.writeTextMessage(data.toString(StandardCharsets.UTF_8))
        : socket.writeBinaryMessage(data);
  }
}
