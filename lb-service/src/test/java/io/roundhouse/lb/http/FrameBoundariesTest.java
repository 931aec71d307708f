package io.roundhouse.lb.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameBoundaries} over every head form of RFC 6455 (7-bit, 16-bit and 64-bit lengths,
 * masked or not), fed in one buffer, byte by byte, and split at every position.
 */
class FrameBoundariesTest {

  private static final int FIN = 0x80;
  private static final int CONTINUATION = 0x0;
  private static final int TEXT = 0x1;
  private static final int BINARY = 0x2;
  private static final int CLOSE = 0x8;
  private static final int PING = 0x9;

  private final Random random = new Random(6455);

  /** A stream of frames and where each ends. */
  private static final class Stream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> frameEnds = new ArrayList<>();
    final List<Integer> messageEnds = new ArrayList<>();

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }

  /** One frame; {@code lengthForm} 0: the shortest form, 16 or 64: that extended form. */
  private byte[] frame(int head, boolean masked, int length, int lengthForm) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(head);
    int maskBit = masked ? 0x80 : 0;
    int form = lengthForm != 0 ? lengthForm : length < 126 ? 7 : length <= 0xFFFF ? 16 : 64;
    if (form == 7) {
      out.write(maskBit | length);
    } else if (form == 16) {
      out.write(maskBit | 126);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) length >> shift));
      }
    }
    if (masked) {
      byte[] key = new byte[4];
      random.nextBytes(key);
      out.writeBytes(key);
    }
    byte[] payload = new byte[length];
    random.nextBytes(payload);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private void add(Stream stream, int head, boolean masked, int length, int lengthForm) {
    stream.bytes.writeBytes(frame(head, masked, length, lengthForm));
    stream.frameEnds.add(stream.bytes.size());
  }

  /** Frames of every form, each a whole message, masked or not. */
  private Stream everyForm(boolean masked) {
    Stream stream = new Stream();
    int[][] forms = {
      {0, 0},
      {1, 0},
      {125, 0},
      {126, 0},
      {300, 0},
      {0xFFFF, 0},
      {0x10000, 0},
      {70_000, 0},
      {3, 16},
      {5, 64},
      {0, 64}
    };
    for (int[] form : forms) {
      add(stream, FIN | BINARY, masked, form[0], form[1]);
    }
    stream.messageEnds.addAll(stream.frameEnds);
    return stream;
  }

  /**
   * A text message in three fragments with a ping between the first two, then a binary message:
   * boundaries between fragments are frame boundaries but not message ones.
   */
  private Stream fragmented(boolean masked) {
    Stream stream = new Stream();
    add(stream, TEXT, masked, 200, 0);
    add(stream, FIN | PING, masked, 4, 0);
    add(stream, CONTINUATION, masked, 70_000, 0);
    add(stream, FIN | CONTINUATION, masked, 10, 0);
    stream.messageEnds.add(stream.bytes.size());
    add(stream, FIN | BINARY, masked, 126, 0);
    stream.messageEnds.add(stream.bytes.size());
    return stream;
  }

  private static ByteBuf slice(byte[] bytes, int from, int to) {
    return Unpooled.wrappedBuffer(bytes, from, to - from);
  }

  private static void assertBoundaryAt(FrameBoundaries parser, Stream stream, int position) {
    boolean frameEnd = position == 0 || stream.frameEnds.contains(position);
    boolean messageEnd = position == 0 || stream.messageEnds.contains(position);
    assertThat(parser.atFrameBoundary()).as("a frame boundary at %d", position).isEqualTo(frameEnd);
    assertThat(parser.atMessageBoundary())
        .as("a message boundary at %d", position)
        .isEqualTo(messageEnd);
  }

  private void assertBoundariesByteByByte(Stream stream) {
    byte[] bytes = stream.bytes();
    FrameBoundaries parser = new FrameBoundaries();
    assertBoundaryAt(parser, stream, 0);
    for (int i = 0; i < bytes.length; i++) {
      parser.feed(slice(bytes, i, i + 1));
      assertBoundaryAt(parser, stream, i + 1);
    }
    assertThat(parser.frames()).isEqualTo(stream.frameEnds.size());
  }

  private void assertBoundariesSplitEverywhere(Stream stream) {
    byte[] bytes = stream.bytes();
    for (int split = 0; split <= bytes.length; split++) {
      FrameBoundaries parser = new FrameBoundaries();
      parser.feed(slice(bytes, 0, split));
      assertBoundaryAt(parser, stream, split);
      parser.feed(slice(bytes, split, bytes.length));
      assertBoundaryAt(parser, stream, bytes.length);
      assertThat(parser.frames()).isEqualTo(stream.frameEnds.size());
    }
  }

  @Test
  void shouldFindEveryFrameEndWhenServerFramesComeInOneBuffer() {
    Stream stream = everyForm(false);
    FrameBoundaries parser = new FrameBoundaries();
    ByteBuf all = Unpooled.wrappedBuffer(stream.bytes());
    parser.feed(all);
    assertThat(all.readerIndex()).as("the buffer is only looked at").isZero();
    assertThat(parser.frames()).isEqualTo(stream.frameEnds.size());
    assertThat(parser.atMessageBoundary()).isTrue();
  }

  @Test
  void shouldFindEveryFrameEndWhenUnmaskedFramesComeByteByByte() {
    assertBoundariesByteByByte(everyForm(false));
  }

  @Test
  void shouldFindEveryFrameEndWhenMaskedFramesComeByteByByte() {
    assertBoundariesByteByByte(everyForm(true));
  }

  @Test
  void shouldFindEveryFrameEndWhenUnmaskedFramesAreSplitAnywhere() {
    assertBoundariesSplitEverywhere(everyForm(false));
  }

  @Test
  void shouldFindEveryFrameEndWhenMaskedFramesAreSplitAnywhere() {
    assertBoundariesSplitEverywhere(everyForm(true));
  }

  @Test
  void shouldTellFragmentBoundariesFromMessageBoundariesWhenAMessageIsFragmented() {
    assertBoundariesByteByByte(fragmented(false));
    assertBoundariesSplitEverywhere(fragmented(true));
  }

  @Test
  void shouldCountBytesToTheNextMessageBoundaryWhereverTheStreamStands() {
    for (boolean masked : new boolean[] {false, true}) {
      Stream stream = fragmented(masked);
      byte[] bytes = stream.bytes();
      for (int from = 0; from <= bytes.length; from++) {
        FrameBoundaries parser = new FrameBoundaries();
        parser.feed(slice(bytes, 0, from));
        ByteBuf rest = slice(bytes, from, bytes.length);
        int through = parser.toMessageBoundary(rest);
        int start = from;
        int expected =
            from == 0 || stream.messageEnds.contains(from)
                ? 0
                : stream.messageEnds.stream().filter(end -> end > start).findFirst().get() - from;
        assertThat(through).as("bytes to a message boundary from %d", from).isEqualTo(expected);
        assertThat(rest.readerIndex()).as("the buffer is only looked at").isZero();
        assertThat(parser.atMessageBoundary()).isTrue();
      }
    }
  }

  @Test
  void shouldSayNoBoundaryWhenABufferEndsInsideAMessage() {
    Stream stream = fragmented(false);
    byte[] bytes = stream.bytes();
    FrameBoundaries parser = new FrameBoundaries();
    parser.feed(slice(bytes, 0, 1));
    int insideTheThirdFragment = stream.frameEnds.get(2) - 5;
    assertThat(parser.toMessageBoundary(slice(bytes, 1, insideTheThirdFragment))).isEqualTo(-1);
    assertThat(parser.atFrameBoundary()).isFalse();
    assertThat(parser.toMessageBoundary(slice(bytes, insideTheThirdFragment, bytes.length)))
        .isEqualTo(stream.messageEnds.get(0) - insideTheThirdFragment);
  }

  @Test
  void shouldStayAtAMessageBoundaryWhenACloseFrameHasPassed() {
    for (boolean masked : new boolean[] {false, true}) {
      Stream stream = new Stream();
      add(stream, TEXT, masked, 20, 0);
      add(stream, FIN | CLOSE, masked, 12, 0);
      byte[] bytes = stream.bytes();
      FrameBoundaries parser = new FrameBoundaries();
      assertThat(parser.toMessageBoundary(slice(bytes, 0, 1))).isZero();
      parser.feed(slice(bytes, 0, stream.frameEnds.get(0)));
      assertThat(parser.atMessageBoundary()).as("inside a fragmented message").isFalse();
      assertThat(parser.toMessageBoundary(slice(bytes, stream.frameEnds.get(0), bytes.length)))
          .as("a close frame ends the stream, even inside a message")
          .isEqualTo(bytes.length - stream.frameEnds.get(0));
      assertThat(parser.closeSeen()).isTrue();
      parser.feed(Unpooled.wrappedBuffer(new byte[] {(byte) (FIN | BINARY), 100}));
      assertThat(parser.atMessageBoundary()).as("whatever follows a close").isTrue();
    }
  }

  @Test
  void shouldSeeItsOwnCloseFramesAsWholeCloseFrames() {
    ByteBuf toClient =
        CloseFrames.closeFrame(UnpooledByteBufAllocator.DEFAULT, 1012, "rebalancing", false);
    ByteBuf toBackend =
        CloseFrames.closeFrame(UnpooledByteBufAllocator.DEFAULT, CloseFrames.GOING_AWAY, "x", true);
    try {
      assertThat((int) toClient.getUnsignedByte(0)).isEqualTo(0x88);
      assertThat((int) toClient.getUnsignedByte(1)).as("unmasked, 2 + 11 bytes").isEqualTo(13);
      assertThat(toClient.getUnsignedShort(2)).isEqualTo(1012);
      assertThat(toClient.toString(4, 11, java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("rebalancing");
      assertThat((int) toBackend.getUnsignedByte(1)).as("masked, 3 bytes").isEqualTo(0x80 | 3);
      int code =
          ((toBackend.getUnsignedByte(6) ^ toBackend.getUnsignedByte(2)) << 8)
              | (toBackend.getUnsignedByte(7) ^ toBackend.getUnsignedByte(3));
      assertThat(code).isEqualTo(1001);
      for (ByteBuf frame : List.of(toClient, toBackend)) {
        FrameBoundaries parser = new FrameBoundaries();
        assertThat(parser.toMessageBoundary(frame.slice(1, frame.readableBytes() - 1)))
            .as("starts at a boundary")
            .isZero();
        parser.feed(frame);
        assertThat(parser.closeSeen()).isTrue();
        assertThat(parser.frames()).isEqualTo(1);
      }
    } finally {
      toClient.release();
      toBackend.release();
    }
  }
}
