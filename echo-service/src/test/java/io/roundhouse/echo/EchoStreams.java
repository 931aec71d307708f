package io.roundhouse.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Bytes through an echo connection: payloads, reading them back, comparing them. */
final class EchoStreams {

  static final int MIB = 1024 * 1024;

  private EchoStreams() {}

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Reads until EOF; a read that waits longer than the socket timeout fails the test. */
  static byte[] readToEof(Socket socket, int expected) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream(expected);
    byte[] chunk = new byte[64 * 1024];
    InputStream in = socket.getInputStream();
    int n;
    while ((n = in.read(chunk)) >= 0) {
      received.write(chunk, 0, n);
    }
    return received.toByteArray();
  }

  static void assertSameBytes(byte[] received, byte[] expected) {
    assertThat(received.length).as("bytes echoed before EOF").isEqualTo(expected.length);
    assertThat(Arrays.mismatch(received, expected))
        .as("offset of the first wrong byte")
        .isEqualTo(-1);
  }

  /** Waits until the writer has made no progress for two seconds, or has sent everything. */
  static long awaitStall(AtomicLong sent, long total) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = sent.get();
      if (now == total) {
        return now;
      }
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(2)) {
        return now;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the client kept writing for a minute without reading: " + last);
  }
}
