import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Closed-loop TCP echo load on loopback, JDK only: CONNS connections on one Selector thread, each
 * sends one SIZE-byte line (SIZE-1 bytes and a newline, since the echo service echoes lines),
 * waits until all of it came back, records the round trip and sends the next, for SECONDS.
 *
 * <pre>
 * java bench/TcpRoundTrips.java HOST PORT CONNS SECONDS SIZE
 *     prints "rt_per_s p50_ms p99_ms" on one line
 * java bench/TcpRoundTrips.java --hold HOST PORT COUNT
 *     opens COUNT connections (200 connects at a time), round-trips once on each, prints
 *     "held COUNT", keeps them idle until a line or end of file on stdin, closes them all and
 *     prints "closed COUNT"
 * </pre>
 *
 * Exits non-zero when a connection fails or an echo does not match. Only 127.0.0.0/8 is accepted.
 */
public class TcpRoundTrips {

  /** Latency histogram: 1 µs buckets up to 1 s, the last bucket holds everything slower. */
  private static final int BUCKETS = 1_000_000;

  private static final long CONNECT_TIMEOUT_NS = 30_000_000_000L;

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("--hold")) {
      hold(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else if (args.length == 5) {
      load(
          args[0],
          Integer.parseInt(args[1]),
          Integer.parseInt(args[2]),
          Double.parseDouble(args[3]),
          Integer.parseInt(args[4]));
    } else {
      System.err.println(
          "usage: java bench/TcpRoundTrips.java HOST PORT CONNS SECONDS SIZE\n"
              + "       java bench/TcpRoundTrips.java --hold HOST PORT COUNT");
      System.exit(2);
    }
  }

  /** One connection's state: what it sends, what has come back so far, when it sent. */
  private static final class Conn {
    final SocketChannel channel;
    final ByteBuffer out;
    final ByteBuffer in;
    long sentAt;

    Conn(SocketChannel channel, byte[] line) {
      this.channel = channel;
      this.out = ByteBuffer.wrap(line);
      this.in = ByteBuffer.allocate(line.length);
    }
  }

  private static InetSocketAddress loopback(String host, int port) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("loopback addresses only, got " + host);
    }
    return address;
  }

  private static byte[] line(int size, int seed) {
    if (size < 2) {
      throw new IllegalArgumentException("size must be at least 2 bytes");
    }
    byte[] line = new byte[size];
    for (int i = 0; i < size - 1; i++) {
      line[i] = (byte) ('a' + (seed + i) % 26);
    }
    line[size - 1] = '\n';
    return line;
  }

  /** Opens count connections, at most 200 connects in flight, all registered on one selector. */
  private static List<Conn> open(Selector selector, InetSocketAddress address, int count, int size)
      throws IOException {
    List<Conn> conns = new ArrayList<>(count);
    int pending = 0;
    int next = 0;
    long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS + count * 10_000_000L;
    while (conns.size() < count) {
      while (next < count && pending < 200) {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(ch, line(size, next));
        next++;
        if (ch.connect(address)) {
          conns.add(c);
          ch.register(selector, 0, c);
        } else {
          ch.register(selector, SelectionKey.OP_CONNECT, c);
          pending++;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("connections not open in time: " + conns.size() + "/" + count);
      }
      selector.select(1000);
      for (SelectionKey key : selector.selectedKeys()) {
        Conn c = (Conn) key.attachment();
        if (key.isConnectable()) {
          c.channel.finishConnect();
          key.interestOps(0);
          conns.add(c);
          pending--;
        }
      }
      selector.selectedKeys().clear();
    }
    return conns;
  }

  private static void send(Conn c, SelectionKey key) throws IOException {
    c.out.clear();
    c.in.clear();
    c.sentAt = System.nanoTime();
    c.channel.write(c.out);
    key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  /** Handles a ready key; returns true when a full echo came back (and checks it). */
  private static boolean step(Conn c, SelectionKey key) throws IOException {
    if (key.isWritable()) {
      c.channel.write(c.out);
      if (!c.out.hasRemaining()) {
        key.interestOps(SelectionKey.OP_READ);
      }
      return false;
    }
    if (key.isReadable()) {
      int n = c.channel.read(c.in);
      if (n < 0) {
        throw new IOException("connection closed by the peer");
      }
      if (!c.in.hasRemaining()) {
        if (!Arrays.equals(c.in.array(), c.out.array())) {
          throw new IOException("echo does not match what was sent");
        }
        return true;
      }
    }
    return false;
  }

  private static void load(String host, int port, int conns, double seconds, int size)
      throws IOException {
    if (seconds <= 0 || seconds > 3600 || conns < 1 || conns > 10_000) {
      throw new IllegalArgumentException("seconds must be in (0, 3600], conns in [1, 10000]");
    }
    long[] histogram = new long[BUCKETS];
    long count = 0;
    try (Selector selector = Selector.open()) {
      List<Conn> all = open(selector, loopback(host, port), conns, size);
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      for (Conn c : all) {
        send(c, c.channel.keyFor(selector));
      }
      long now = start;
      while (now < end) {
        selector.select(100);
        now = System.nanoTime();
        for (SelectionKey key : selector.selectedKeys()) {
          Conn c = (Conn) key.attachment();
          if (step(c, key)) {
            long micros = (now - c.sentAt) / 1000;
            histogram[(int) Math.min(micros, BUCKETS - 1)]++;
            count++;
            if (now < end) {
              send(c, key);
            } else {
              key.interestOps(0);
            }
          }
        }
        selector.selectedKeys().clear();
      }
      double elapsed = (now - start) / 1e9;
      for (Conn c : all) {
        c.channel.close();
      }
      System.out.printf(
          "%.0f %.3f %.3f%n",
          count / elapsed, percentile(histogram, count, 0.50), percentile(histogram, count, 0.99));
    }
  }

  private static double percentile(long[] histogram, long count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(p * count);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) {
        return (i + 0.5) / 1000.0;
      }
    }
    return (histogram.length - 1) / 1000.0;
  }

  private static void hold(String host, int port, int count) throws IOException {
    if (count < 1 || count > 20_000) {
      throw new IllegalArgumentException("count must be in [1, 20000]");
    }
    try (Selector selector = Selector.open()) {
      List<Conn> all = open(selector, loopback(host, port), count, 16);
      // One round trip on each, at most 200 outstanding at once.
      int next = 0;
      int done = 0;
      int outstanding = 0;
      long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS + count * 10_000_000L;
      while (done < count) {
        while (next < count && outstanding < 200) {
          Conn c = all.get(next++);
          send(c, c.channel.keyFor(selector));
          outstanding++;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("echoes not back in time: " + done + "/" + count);
        }
        selector.select(1000);
        for (SelectionKey key : selector.selectedKeys()) {
          if (step((Conn) key.attachment(), key)) {
            key.interestOps(0);
            done++;
            outstanding--;
          }
        }
        selector.selectedKeys().clear();
      }
      System.out.println("held " + all.size());
      System.out.flush();
      // Idle until told (a line) or until stdin ends; the caller bounds how long that is.
      new BufferedReader(new InputStreamReader(System.in)).readLine();
      for (Conn c : all) {
        c.channel.close();
      }
      System.out.println("closed " + all.size());
    }
  }
}
