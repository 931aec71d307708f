package io.roundhouse.echo;

import static io.roundhouse.echo.EchoFixture.READ_TIMEOUT_MS;
import static io.roundhouse.echo.EchoStreams.MIB;
import static io.roundhouse.echo.EchoStreams.assertSameBytes;
import static io.roundhouse.echo.EchoStreams.awaitStall;
import static io.roundhouse.echo.EchoStreams.random;
import static io.roundhouse.echo.EchoStreams.readToEof;
import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a client cannot make the server hold: unbounded echo it does not read, idle connections. */
class EchoLimitsIT {

  @RegisterExtension static final EchoFixture echo = new EchoFixture();

  @Test
  void shouldStopReadingAndBufferBoundedlyWhenClientDoesNotReadItsEcho() throws Exception {
    EchoService service = echo.start();
    byte[] payload = random(64 * MIB, 2);
    Socket socket = echo.newSocket();
    // Small client buffers (set before connecting), so what the client gets to send while not
    // reading is mostly what the server side took in: kernel buffers plus its own queue.
    socket.setSendBufferSize(64 * 1024);
    socket.setReceiveBufferSize(64 * 1024);
    EchoFixture.connect(socket, service);
    AtomicLong sent = new AtomicLong();

    Future<Void> writer = echo.writeThenHalfClose(socket, payload, sent);
    long stalledAt = awaitStall(sent, payload.length);

    System.out.printf("Client sent %,d bytes before the echo server stopped reading%n", stalledAt);
    assertThat(stalledAt)
        .as("bytes the server accepted from a client that reads nothing")
        .isLessThan(16L * MIB);
    assertThat(writer).isNotDone();

    byte[] received = readToEof(socket, payload.length);
    writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertSameBytes(received, payload);
  }

  @Test
  void shouldCloseIdleConnectionWhenIdleTimeoutIsShorterThanASecond() throws IOException {
    EchoService service = echo.start("500ms");
    Socket socket = echo.connect(service);

    // Sends nothing: the server must close the connection, which the client sees as EOF.
    assertThat(socket.getInputStream().read()).isEqualTo(-1);
    Eventually.until(
        "the idle connection is no longer counted", () -> service.counter().active() == 0);
  }
}
