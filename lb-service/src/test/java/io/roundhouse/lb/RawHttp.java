package io.roundhouse.lb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 by hand, for answers a client library would hide: headers, closes, bad requests. */
final class RawHttp {

  private RawHttp() {}

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
