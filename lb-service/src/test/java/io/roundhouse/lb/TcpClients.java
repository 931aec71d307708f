package io.roundhouse.lb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/** Blocking TCP clients for tests (test threads, never an event loop). */
final class TcpClients {

  private TcpClients() {}

  static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(20_000);
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** Sends one line and reads it back, proving the whole path is spliced. */
  static void roundTrip(Socket socket, String text) throws IOException {
    byte[] bytes = (text + "\n").getBytes();
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    byte[] back = socket.getInputStream().readNBytes(bytes.length);
    if (!new String(back).equals(text + "\n")) {
      throw new IOException("echo mismatch: '" + new String(back) + "'");
    }
  }

  /**
   * Writes {@code payload} from another thread, then shuts down output (a half-close, as {@code nc
   * -N} does), and reads until the server closes: everything echoed back.
   */
  static byte[] echoWithHalfClose(int port, byte[] payload) throws Exception {
    try (Socket socket = connect(port)) {
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  OutputStream out = socket.getOutputStream();
                  for (int off = 0; off < payload.length; off += 65_536) {
                    out.write(payload, off, Math.min(65_536, payload.length - off));
                  }
                  out.flush();
                  socket.shutdownOutput();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      ByteArrayOutputStream received = new ByteArrayOutputStream(payload.length);
      InputStream in = socket.getInputStream();
      in.transferTo(received);
      writer.get();
      return received.toByteArray();
    }
  }
}
