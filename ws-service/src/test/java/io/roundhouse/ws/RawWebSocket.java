package io.roundhouse.ws;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket spoken by hand over TCP, for what a well-behaved client never does: malformed frames,
 * or vanishing without a close. Closing it resets the connection (SO_LINGER 0).
 */
final class RawWebSocket implements AutoCloseable {

  static final int TEXT = 0x1;
  static final int CONTINUATION = 0x0;

  private final NetClient client;
  private final NetSocket socket;
  private final Buffer received = Buffer.buffer();
  private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
  private final CompletableFuture<Short> closeStatus = new CompletableFuture<>();

  private RawWebSocket(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  /** Upgrades and waits for the server's welcome frame. */
  static RawWebSocket open(Vertx vertx, int port, String path) throws Exception {
    NetClient client = vertx.createNetClient(new NetClientOptions().setSoLinger(0));
    NetSocket socket =
        client.connect(port, "127.0.0.1").await(TestSocket.WAIT_SECONDS, TimeUnit.SECONDS);
    RawWebSocket raw = new RawWebSocket(client, socket);
    socket.handler(raw::onData);
    socket.write(
        "GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    raw.welcomed.get(TestSocket.WAIT_SECONDS, TimeUnit.SECONDS);
    return raw;
  }

  /** Sends one client frame, masked with a zero key so the payload goes as is. */
  void sendFrame(int opcode, boolean fin, byte[] payload) {
    if (payload.length > 125) {
      throw new IllegalArgumentException("short frames only");
    }
    Buffer frame =
        Buffer.buffer()
            .appendByte((byte) ((fin ? 0x80 : 0) | opcode))
            .appendByte((byte) (0x80 | payload.length))
            .appendInt(0)
            .appendBytes(payload);
    socket.write(frame);
  }

  /** The status code of the server's close frame. */
  short awaitCloseStatus() throws Exception {
    return closeStatus.get(TestSocket.WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Drops the connection with a reset: no WebSocket close, no FIN. */
  @Override
  public void close() {
    socket.close();
    client.close();
  }

  private void onData(Buffer data) {
    received.appendBuffer(data);
    String text = received.toString(StandardCharsets.ISO_8859_1);
    int headerEnd = text.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      parseFrames(headerEnd + 4);
    }
  }

  /** Walks the server's (unmasked) frames from {@code pos}. */
  private void parseFrames(int pos) {
    while (pos + 2 <= received.length()) {
      int opcode = received.getByte(pos) & 0x0F;
      long length = received.getByte(pos + 1) & 0x7F;
      int header = 2;
      if (length == 126) {
        length = received.getUnsignedShort(pos + 2);
        header = 4;
      } else if (length == 127) {
        length = received.getLong(pos + 2);
        header = 10;
      }
      if (pos + header + length > received.length()) {
        return;
      }
      int payload = pos + header;
      if (opcode == TEXT
          && received.getString(payload, payload + (int) length).contains("\"welcome\"")) {
        welcomed.complete(null);
      } else if (opcode == 0x8) {
        closeStatus.complete(length >= 2 ? received.getShort(payload) : 1005);
      }
      pos = payload + (int) length;
    }
  }
}
