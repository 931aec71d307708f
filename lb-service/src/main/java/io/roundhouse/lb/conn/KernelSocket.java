package io.roundhouse.lb.conn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * One line of {@code /proc/net/tcp} or {@code /proc/net/tcp6}: a TCP socket of this network
 * namespace, any process's, with its state. Addresses there are hex, each 32-bit word in the host's
 * (little-endian) order.
 */
public record KernelSocket(InetSocketAddress local, InetSocketAddress remote, String state) {

  /** The kernel's state codes (include/net/tcp_states.h), index = code. */
  static final List<String> STATES =
      List.of(
          "UNKNOWN",
          "ESTABLISHED",
          "SYN_SENT",
          "SYN_RECV",
          "FIN_WAIT1",
          "FIN_WAIT2",
          "TIME_WAIT",
          "CLOSE",
          "CLOSE_WAIT",
          "LAST_ACK",
          "LISTEN",
          "CLOSING",
          "NEW_SYN_RECV");

  /** The socket on {@code line}, or empty for the header or a line that does not parse. */
  static Optional<KernelSocket> parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 4 || !f[0].endsWith(":")) {
      return Optional.empty();
    }
    try {
      int code = Integer.parseInt(f[3], 16);
      String state = code > 0 && code < STATES.size() ? STATES.get(code) : STATES.get(0);
      return Optional.of(new KernelSocket(address(f[1]), address(f[2]), state));
    } catch (IllegalArgumentException | UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static InetSocketAddress address(String hex) throws UnknownHostException {
    int colon = hex.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("no port in " + hex);
    }
    String host = hex.substring(0, colon);
    if (host.length() != 8 && host.length() != 32) {
      throw new IllegalArgumentException("not an address: " + host);
    }
    byte[] bytes = new byte[host.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        // Each word is printed as a host-order int: its last byte pair is the first byte.
        int at = word * 8 + (3 - b) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(host.substring(at, at + 2), 16);
      }
    }
    int port = Integer.parseInt(hex.substring(colon + 1), 16);
    return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
  }
}
