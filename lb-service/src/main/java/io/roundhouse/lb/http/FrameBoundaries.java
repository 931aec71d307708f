package io.roundhouse.lb.http;

import io.netty.buffer.ByteBuf;

/**
 * Where one direction of a WebSocket stream stands between frames, from the frame headers alone
 * (RFC 6455 section 5.2): a 2-byte head, a 7-bit, 16-bit or 64-bit payload length, and a 4-byte
 * mask key when the mask bit is set (a client's frames are masked, a server's normally not; both
 * are read). Payloads are skipped, never copied; the buffers' indices are never moved.
 *
 * <p>A <em>message boundary</em> is a frame boundary outside a fragmented message: after a data
 * frame with FIN set, or after a control frame that is not interleaved in a fragmented message.
 * After a close frame the stream is over, so it stays at a message boundary whatever follows. A
 * shed cuts a tunnel at message boundaries, so a client never gets half a message.
 *
 * <p>Not thread-safe: one instance per direction, used by its channel's event loop.
 */
final class FrameBoundaries {

  private static final int OPCODE_CONTINUATION = 0x0;
  private static final int OPCODE_CLOSE = 0x8;

  /** Header bytes of the current frame read so far; 0 between a payload and the next head. */
  private int headRead;

  /** The current head's whole length, and how many of its bytes are the extended length. */
  private int headLength;

  private int extendedLength;

  private boolean fin;
  private int opcode;
  private long payloadLength;
  private long payloadLeft;
  private boolean inFragmentedMessage;
  private boolean closeSeen;
  private long frames;

  /** Reads every readable byte of {@code buf}. */
  void feed(ByteBuf buf) {
    scan(buf, false);
  }

  /**
   * Reads {@code buf} up to the next message boundary and says how many of its readable bytes that
   * took: 0 when the stream already sits at one, -1 when none is reached within {@code buf} (then
   * every byte was read). Bytes after the boundary are not read.
   */
  int toMessageBoundary(ByteBuf buf) {
    return scan(buf, true);
  }

  /** Between two frames (or before the first). */
  boolean atFrameBoundary() {
    return headRead == 0 && payloadLeft == 0;
  }

  /** Between two messages, or after a close frame. */
  boolean atMessageBoundary() {
    return closeSeen || (atFrameBoundary() && !inFragmentedMessage);
  }

  /** Whether a whole close frame has passed. */
  boolean closeSeen() {
    return closeSeen;
  }

  /** Whole frames passed so far. */
  long frames() {
    return frames;
  }

  private int scan(ByteBuf buf, boolean stopAtMessageBoundary) {
    int start = buf.readerIndex();
    int end = buf.writerIndex();
    if (stopAtMessageBoundary && atMessageBoundary()) {
      return 0;
    }
    int i = start;
    while (i < end) {
      if (payloadLeft > 0) {
        int skipped = (int) Math.min(payloadLeft, end - i);
        i += skipped;
        payloadLeft -= skipped;
        if (payloadLeft == 0) {
          frameEnded();
        }
      } else {
        head(buf.getByte(i++));
      }
      if (stopAtMessageBoundary && atMessageBoundary()) {
        return i - start;
      }
    }
    return stopAtMessageBoundary ? -1 : end - start;
  }

  private void head(byte b) {
    int octet = b & 0xFF;
    if (headRead == 0) {
      fin = (octet & 0x80) != 0;
      opcode = octet & 0x0F;
      headRead = 1;
      return;
    }
    if (headRead == 1) {
      boolean masked = (octet & 0x80) != 0;
      int length7 = octet & 0x7F;
      extendedLength = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
      headLength = 2 + extendedLength + (masked ? 4 : 0);
      payloadLength = extendedLength == 0 ? length7 : 0;
    } else if (headRead < 2 + extendedLength) {
      payloadLength = (payloadLength << 8) | octet;
    }
    // Otherwise a mask key byte: skipped.
    headRead++;
    if (headRead == headLength) {
      headRead = 0;
      payloadLeft = payloadLength;
      if (payloadLeft == 0) {
        frameEnded();
      }
    }
  }

  private void frameEnded() {
    frames++;
    if (opcode >= OPCODE_CLOSE) {
      closeSeen |= opcode == OPCODE_CLOSE;
    } else if (opcode != OPCODE_CONTINUATION) {
      inFragmentedMessage = !fin;
    } else if (fin) {
      inFragmentedMessage = false;
    }
  }
}
