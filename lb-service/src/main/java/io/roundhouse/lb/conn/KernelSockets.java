package io.roundhouse.lb.conn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads what the kernel holds: every TCP socket of the namespace and the ephemeral port range (this
 * process's fds: {@link io.roundhouse.stats.FdStats}). Blocking file reads: call from a worker,
 * never an event loop.
 */
public final class KernelSockets {

  static final int[] DEFAULT_PORT_RANGE = {32768, 60999};

  private final Path proc;

  /**
   * @param proc {@code /proc}, or a directory laid out like it
   */
  public KernelSockets(Path proc) {
    this.proc = proc;
  }

  /** Every TCP socket, IPv4 and IPv6; a file that cannot be read counts as empty. */
  public List<KernelSocket> tcp() {
    List<KernelSocket> sockets = new ArrayList<>();
    for (String file : List.of("net/tcp", "net/tcp6")) {
      try (Stream<String> lines = Files.lines(proc.resolve(file))) {
        lines.map(KernelSocket::parse).flatMap(Optional::stream).forEach(sockets::add);
      } catch (IOException | RuntimeException e) {
        // Not there (no IPv6) or unreadable: nothing to count from it.
      }
    }
    return sockets;
  }

  /** {@code net.ipv4.ip_local_port_range}: the lowest and highest ephemeral port. */
  int[] portRange() {
    try {
      String[] f =
          Files.readString(proc.resolve("sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
    } catch (IOException | RuntimeException e) {
      return DEFAULT_PORT_RANGE.clone();
    }
  }
}
