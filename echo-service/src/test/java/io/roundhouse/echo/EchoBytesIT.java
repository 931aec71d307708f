package io.roundhouse.echo;

import static io.roundhouse.echo.EchoFixture.READ_TIMEOUT_MS;
import static io.roundhouse.echo.EchoStreams.MIB;
import static io.roundhouse.echo.EchoStreams.assertSameBytes;
import static io.roundhouse.echo.EchoStreams.awaitStall;
import static io.roundhouse.echo.EchoStreams.random;
import static io.roundhouse.echo.EchoStreams.readToEof;
import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every byte comes back, in order and before EOF, however the client writes and half-closes. */
class EchoBytesIT {

  @RegisterExtension static final EchoFixture echo = new EchoFixture();

  @Test
  void shouldEchoEveryByteBeforeEofWhenClientHalfClosesAfterWriting() throws Exception {
    EchoService service = echo.start();
    byte[] payload = random(4 * MIB, 1);
    Socket socket = echo.newSocket();
    socket.setReceiveBufferSize(64 * 1024); // the echo backs up on the server, not in our buffer
    EchoFixture.connect(socket, service);
    AtomicLong sent = new AtomicLong();

    Future<Void> writer = echo.writeThenHalfClose(socket, payload, sent);
    // Read only once the client has sent everything and half-closed (or cannot send more), so
    // the FIN reaches the server while most of the echo is still queued there.
    if (awaitStall(sent, payload.length) == payload.length) {
      writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS); // half-closed before reading a byte
      // Lets the FIN reach the server before we drain anything: it has once the server's kernel
      // acknowledged it; if the server's window closed first, it can get there only once we read.
      Eventually.until(
          "the server acknowledged our FIN, or has no room for what we still send",
          () -> {
            TcpState tcp = TcpState.of(socket);
            return tcp.finAcknowledged() || tcp.probingZeroWindow();
          },
          () -> TcpState.of(socket));
      System.out.println("Before reading the echo: " + TcpState.of(socket));
    }
    byte[] received = readToEof(socket, payload.length);

    writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertSameBytes(received, payload);
  }

  @Test
  void shouldEchoEveryByteBeforeEofWhenClientReadsWhileWriting() throws Exception {
    EchoService service = echo.start();
    byte[] payload = random(4 * MIB, 3);
    SocketChannel channel = echo.openChannel(service);
    Future<Void> writer =
        echo.submit(
            () -> {
              ByteBuffer buf = ByteBuffer.wrap(payload);
              while (buf.hasRemaining()) {
                channel.write(buf);
              }
              channel.shutdownOutput();
              return null;
            });

    ByteBuffer received = ByteBuffer.allocate(payload.length + 1);
    Future<Integer> reader =
        echo.submit(
            () -> {
              int total = 0;
              int n;
              while ((n = channel.read(received)) >= 0 && received.hasRemaining()) {
                total += n;
              }
              return n < 0 ? total : -1;
            });

    writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertThat(reader.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        .as("bytes read before EOF")
        .isEqualTo(payload.length);
    assertSameBytes(Arrays.copyOf(received.array(), received.position()), payload);
  }

  @Test
  void shouldEchoEachConnectionSeparatelyWhenManyClientsSendAtOnce() throws Exception {
    EchoService service = echo.start();
    int clients = 16;
    List<byte[]> payloads = new ArrayList<>();
    List<Future<byte[]>> readers = new ArrayList<>();
    List<Future<Void>> writers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      byte[] payload = random(512 * 1024 + i, 100 + i);
      Socket socket = echo.connect(service);
      payloads.add(payload);
      writers.add(echo.writeThenHalfClose(socket, payload, new AtomicLong()));
      readers.add(echo.submit(() -> readToEof(socket, payload.length)));
    }

    for (int i = 0; i < clients; i++) {
      writers.get(i).get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      assertSameBytes(readers.get(i).get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS), payloads.get(i));
    }
  }
}
