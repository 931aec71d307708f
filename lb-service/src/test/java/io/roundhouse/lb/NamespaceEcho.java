package io.roundhouse.lb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plain JDK echo server run inside a test's network namespace ({@link NetworkNamespace}): {@code
 * NamespaceEcho <address> <port-file>} listens on an ephemeral port of the address, writes the port
 * to the file, and echoes every connection until its process is stopped. A thread per connection is
 * fine for a handful of test sockets and keeps it free of Vert.x, so it starts in a second.
 */
public final class NamespaceEcho {

  private NamespaceEcho() {}

  public static void main(String[] args) throws IOException {
    InetAddress address = InetAddress.getByName(args[0]);
    Path portFile = Path.of(args[1]);
    try (ServerSocket server = new ServerSocket(0, 128, address)) {
      Path written = Files.createTempFile(portFile.getParent(), "port", ".tmp");
      Files.writeString(
          written, Integer.toString(server.getLocalPort()), StandardCharsets.US_ASCII);
      Files.move(written, portFile);
      while (true) {
        Socket socket = server.accept();
        Thread echo = new Thread(() -> echo(socket), "echo-" + socket.getPort());
        echo.setDaemon(true);
        echo.start();
      }
    }
  }

  private static void echo(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      socket.setTcpNoDelay(true);
      byte[] chunk = new byte[8192];
      for (int n; (n = in.read(chunk)) > 0; ) {
        out.write(chunk, 0, n);
      }
    } catch (IOException peerGone) {
      // The connection ends; the server goes on.
    }
  }
}
