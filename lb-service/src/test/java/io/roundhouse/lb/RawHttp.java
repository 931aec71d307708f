package io.roundhouse.lb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 spoken byte by byte over a blocking socket, for what a well-behaved client never sends:
 * conflicting lengths, bad targets, trickled headers. Test threads only.
 */
final class RawHttp {

  /** Everything the server sent until it closed the connection. */
  record Answer(String text) {

    String statusLine() {
      int end = text.indexOf("\r\n");
      return end < 0 ? text : text.substring(0, end);
    }

    int status() {
      String[] parts = statusLine().split(" ");
      return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    }

    /** The value of a header of the first response (any case), or null. */
    String header(String name) {
      String head = text.substring(0, Math.max(0, text.indexOf("\r\n\r\n")));
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    String headLowerCase() {
      return text.substring(0, Math.max(0, text.indexOf("\r\n\r\n"))).toLowerCase(Locale.ROOT);
    }

    String body() {
      int start = text.indexOf("\r\n\r\n");
      return start < 0 ? "" : text.substring(start + 4);
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code request} as ISO-8859-1 bytes and reads until the server closes; fails the test if
   * it does not close within the socket's read timeout.
   */
  static Answer exchange(int port, String request) throws IOException {
    try (Socket socket = TcpClients.connect(port)) {
      socket.setSoTimeout(10_000);
      write(socket, request);
      return readToClose(socket);
    }
  }

  static void write(Socket socket, String bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads until EOF; a read timeout is an assertion failure: the server never closed. */
  static Answer readToClose(Socket socket) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[16 * 1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the connection was not closed; received: "
              + received.toString(StandardCharsets.ISO_8859_1),
          e);
    } catch (SocketException reset) {
      // A reset after the answer still ends the connection.
    }
    return new Answer(received.toString(StandardCharsets.ISO_8859_1));
  }

  /** Sends {@code request} and reads one response with a Content-Length; the connection stays. */
  static Answer exchangeOne(Socket socket, String request) throws IOException {
    write(socket, request);
    Answer head = new Answer(readHead(socket));
    String length = head.header("Content-Length");
    byte[] body = socket.getInputStream().readNBytes(length == null ? 0 : Integer.parseInt(length));
    return new Answer(head.text() + new String(body, StandardCharsets.ISO_8859_1));
  }

  /** Reads one response head (up to the blank line) and leaves the connection open. */
  static String readHead(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed before a whole response head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** Sends {@code request} as is and reads the answer's head, up to the blank line. */
  static String exchange(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return head(socket.getInputStream());
  }

  /** A keep-alive GET of {@code path}; returns the answer's head, its body read and skipped. */
  static String get(Socket socket, String path) throws IOException {
    String head = exchange(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
    if (length.find()) {
      socket.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
    }
    return head;
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Whether the peer closed: EOF (or a reset) once the answer's body has been skipped. */
  static boolean closedAfterBody(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // the short body of an error answer
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }
}
