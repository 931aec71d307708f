package io.roundhouse.echo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's view of a connected IPv4 socket, read from Linux's {@code /proc/net/tcp}: what Java
 * does not tell, such as whether the peer has acknowledged our FIN.
 */
final class TcpState {

  private static final Path PROC_NET_TCP = Path.of("/proc/net/tcp");

  /** Our FIN was acknowledged; the peer has not sent its own yet. */
  private static final int FIN_WAIT2 = 0x05;

  /** Our FIN was acknowledged and the peer's FIN received. */
  private static final int TIME_WAIT = 0x06;

  /** The timer column while the peer advertises a window too small for what we have queued. */
  private static final int ZERO_WINDOW_PROBE_TIMER = 4;

  private final String row;
  private final int state;
  private final int timer;

  private TcpState(String row, int state, int timer) {
    this.row = row;
    this.state = state;
    this.timer = timer;
  }

  /** The row of {@code socket}'s connection: its local address and port, its remote ones. */
  static TcpState of(Socket socket) {
    String local = address(socket.getLocalAddress(), socket.getLocalPort());
    String remote = address(socket.getInetAddress(), socket.getPort());
    try {
      for (String line : Files.readAllLines(PROC_NET_TCP)) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when ...
        String[] f = line.trim().split("\\s+");
        if (f.length > 5 && f[1].equals(local) && f[2].equals(remote)) {
          return new TcpState(
              line.trim(), Integer.parseInt(f[3], 16), Integer.parseInt(f[5].split(":")[0], 16));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("these tests read TCP states from " + PROC_NET_TCP, e);
    }
    throw new AssertionError("no connection " + local + " -> " + remote + " in " + PROC_NET_TCP);
  }

  /** As the kernel prints it: the IPv4 address as a number in this machine's byte order. */
  private static String address(InetAddress ip, int port) {
    int number = ByteBuffer.wrap(ip.getAddress()).order(ByteOrder.nativeOrder()).getInt();
    return String.format("%08X:%04X", number, port);
  }

  /** The peer's kernel has received and acknowledged our FIN. */
  boolean finAcknowledged() {
    return state == FIN_WAIT2 || state == TIME_WAIT;
  }

  /** We hold bytes (or a FIN) the peer has no room for: it gets them only once it reads. */
  boolean probingZeroWindow() {
    return timer == ZERO_WINDOW_PROBE_TIMER;
  }

  @Override
  public String toString() {
    return row;
  }
}
