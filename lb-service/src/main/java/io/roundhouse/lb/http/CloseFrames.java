package io.roundhouse.lb.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** WebSocket close frames (RFC 6455 section 5.5.1) the balancer writes itself when it sheds. */
final class CloseFrames {

  /** Going away: what a backend is told when the balancer takes its client away. */
  static final int GOING_AWAY = 1001;

  private CloseFrames() {}

  /**
   * A whole close frame with {@code code} and {@code reason} (under 124 bytes of UTF-8), FIN set;
   * masked with a random key when it goes to a server, as a client's frames must be.
   */
  static ByteBuf closeFrame(ByteBufAllocator alloc, int code, String reason, boolean masked) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int length = 2 + text.length;
    if (length > 125) {
      throw new IllegalArgumentException("a close reason is at most 123 bytes: " + reason);
    }
    byte[] payload = new byte[length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    ByteBuf frame = alloc.buffer(2 + (masked ? 4 : 0) + length);
    frame.writeByte(0x88);
    frame.writeByte((masked ? 0x80 : 0) | length);
    if (masked) {
      byte[] key = new byte[4];
      ThreadLocalRandom.current().nextBytes(key);
      frame.writeBytes(key);
      for (int i = 0; i < length; i++) {
        payload[i] ^= key[i % 4];
      }
    }
    return frame.writeBytes(payload);
  }
}
