import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * WebSocket echo load on loopback with the JDK's own client (java.net.http.WebSocket), against
 * ws-service's {@code /ws} (which first sends a welcome frame, then echoes every message).
 *
 * <pre>
 * java bench/WsEcho.java HOST PORT SOCKETS SECONDS
 *     every socket sends one timestamped message every 100 ms for SECONDS; prints
 *     "msgs_per_s p50_ms p99_ms sent received"
 * java bench/WsEcho.java --hold HOST PORT COUNT
 *     opens COUNT sockets (200 handshakes at a time), echoes once on each, prints "held COUNT",
 *     keeps them idle until a line or end of file on stdin, then closes them all and prints
 *     "closed COUNT"
 * </pre>
 *
 * Every socket is closed at the end: a close handshake, then abort() for any that did not finish
 * it within 10 s. Exits non-zero if a socket failed to open or an echo was lost (load mode:
 * more than 1% missing). Only loopback addresses are accepted.
 */
public class WsEcho {

  /** Latency histogram: 10 µs buckets up to 10 s. */
  private static final int BUCKETS = 1_000_000;

  private static final int INTERVAL_MS = 100;

  public static void main(String[] args) throws Exception {
    int rc;
    if (args.length == 4 && args[0].equals("--hold")) {
      rc = hold(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else if (args.length == 4) {
      rc =
          load(
              args[0],
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              Double.parseDouble(args[3]));
    } else {
      System.err.println(
          "usage: java bench/WsEcho.java HOST PORT SOCKETS SECONDS\n"
              + "       java bench/WsEcho.java --hold HOST PORT COUNT");
      rc = 2;
    }
    System.exit(rc);
  }

  /** One socket: its welcome, its first echo, and what it hands to the load's histogram. */
  private static final class Socket implements WebSocket.Listener {
    final CompletableFuture<Void> welcome = new CompletableFuture<>();
    final CompletableFuture<String> firstEcho = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final StringBuilder partial = new StringBuilder();
    final Stats stats;
    volatile WebSocket ws;
    volatile CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

    Socket(Stats stats) {
      this.stats = stats;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        if (!welcome.isDone()) {
          welcome.complete(null);
        } else if (message.startsWith("t=") && stats != null) {
          stats.record(System.nanoTime() - Long.parseLong(message.substring(2)));
        } else {
          firstEcho.complete(message);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      welcome.completeExceptionally(error);
      firstEcho.completeExceptionally(error);
      closed.complete(null);
    }
  }

  private static final class Stats {
    final AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
    final AtomicLong received = new AtomicLong();
    volatile boolean recording = true;

    void record(long nanos) {
      if (recording) {
        histogram.incrementAndGet((int) Math.min(nanos / 10_000, BUCKETS - 1));
        received.incrementAndGet();
      }
    }

    double percentile(double p) {
      long count = received.get();
      if (count == 0) {
        return Double.NaN;
      }
      long rank = (long) Math.ceil(p * count);
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += histogram.get(i);
        if (seen >= rank) {
          return (i + 0.5) / 100.0;
        }
      }
      return (BUCKETS - 1) / 100.0;
    }
  }

  private static URI uri(String host, int port) throws Exception {
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      throw new IllegalArgumentException("loopback addresses only, got " + host);
    }
    return URI.create("ws://" + host + ":" + port + "/ws");
  }

  /** Opens count sockets, 200 handshakes at a time, each past its welcome frame. */
  private static List<Socket> open(HttpClient client, URI uri, int count, Stats stats)
      throws Exception {
    List<Socket> sockets = new ArrayList<>(count);
    while (sockets.size() < count) {
      List<Socket> batch = new ArrayList<>();
      List<CompletableFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < Math.min(200, count - sockets.size()); i++) {
        Socket s = new Socket(stats);
        batch.add(s);
        pending.add(
            client
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .buildAsync(uri, s)
                .thenAccept(ws -> s.ws = ws)
                .thenCompose(v -> s.welcome));
      }
      sockets.addAll(batch);
      try {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("WsEcho: " + count + " sockets: opening failed: " + e);
        closeAll(sockets);
        throw e;
      }
    }
    return sockets;
  }

  /** Close handshake on every open socket; abort() whatever has not closed after 10 s. */
  private static int closeAll(List<Socket> sockets) {
    List<CompletableFuture<?>> closing = new ArrayList<>();
    for (Socket s : sockets) {
      WebSocket ws = s.ws;
      if (ws == null) {
        continue;
      }
      closing.add(
          s.lastSend
              .handle((r, e) -> null)
              .thenCompose(v -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
              .handle((r, e) -> null)
              .thenCompose(v -> s.closed));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the ones still open are aborted below
    }
    int closed = 0;
    for (Socket s : sockets) {
      if (s.ws != null) {
        if (!s.closed.isDone()) {
          s.ws.abort();
        }
        closed++;
      }
    }
    return closed;
  }

  private static int load(String host, int port, int count, double seconds) throws Exception {
    if (seconds <= 0 || seconds > 3600 || count < 1 || count > 10_000) {
      throw new IllegalArgumentException("seconds must be in (0, 3600], sockets in [1, 10000]");
    }
    Stats stats = new Stats();
    HttpClient client = HttpClient.newHttpClient();
    List<Socket> sockets = open(client, uri(host, port), count, stats);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    AtomicLong sent = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    List<ScheduledFuture<?>> tasks = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    for (int i = 0; i < sockets.size(); i++) {
      Socket s = sockets.get(i);
      // Spread the sends over the interval instead of all sockets at once.
      long offsetUs = (long) i * INTERVAL_MS * 1000 / sockets.size();
      tasks.add(
          timer.scheduleAtFixedRate(
              () -> {
                if (!s.lastSend.isDone()) {
                  skipped.incrementAndGet();
                  return;
                }
                sent.incrementAndGet();
                s.lastSend =
                    s.ws.sendText("t=" + System.nanoTime(), true)
                        .whenComplete(
                            (r, e) -> {
                              if (e != null) {
                                errors.add(e);
                              }
                            });
              },
              offsetUs,
              INTERVAL_MS * 1000L,
              TimeUnit.MICROSECONDS));
    }
    Thread.sleep((long) (seconds * 1000));
    tasks.forEach(t -> t.cancel(false));
    timer.shutdown();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    // Let the last echoes come back (bounded), then stop counting.
    long until = System.nanoTime() + 2_000_000_000L;
    while (stats.received.get() < sent.get() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    stats.recording = false;
    long received = stats.received.get();
    int closed = closeAll(sockets);
    System.out.printf(
        "%.0f %.3f %.3f %d %d%n",
        received / Math.min(elapsed, seconds),
        stats.percentile(0.50),
        stats.percentile(0.99),
        sent.get(),
        received);
    if (closed != sockets.size() || !errors.isEmpty() || received < sent.get() * 0.99) {
      System.err.printf(
          "WsEcho: closed %d/%d, %d send errors, %d skipped sends, %d of %d echoes back%n",
          closed, sockets.size(), errors.size(), skipped.get(), received, sent.get());
      return 1;
    }
    return 0;
  }

  private static int hold(String host, int port, int count) throws Exception {
    if (count < 1 || count > 20_000) {
      throw new IllegalArgumentException("count must be in [1, 20000]");
    }
    HttpClient client = HttpClient.newHttpClient();
    List<Socket> sockets = open(client, uri(host, port), count, null);
    for (int i = 0; i < sockets.size(); i += 200) {
      List<CompletableFuture<String>> echoes = new ArrayList<>();
      for (int j = i; j < Math.min(i + 200, sockets.size()); j++) {
        Socket s = sockets.get(j);
        s.lastSend = s.ws.sendText("echo " + j, true);
        echoes.add(s.firstEcho);
      }
      CompletableFuture.allOf(echoes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      for (int j = i; j < Math.min(i + 200, sockets.size()); j++) {
        String back = echoes.get(j - i).get();
        if (!back.equals("echo " + j)) {
          closeAll(sockets);
          throw new IllegalStateException("socket " + j + " echoed " + back);
        }
      }
    }
    System.out.println("held " + sockets.size());
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in)).readLine();
    System.out.println("closed " + closeAll(sockets));
    return 0;
  }
}
