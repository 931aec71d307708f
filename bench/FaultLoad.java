import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The load of bench/fault.sh: a bounded mix of traffic through the balancer while the script kills,
 * freezes and cuts off backends, each piece checked byte for byte. For a fixed duration, at fixed
 * rates:
 *
 * <ul>
 *   <li>new TCP connections to the TCP port, each sending a few KB of known random bytes and
 *       half-closing, checking the echo before EOF;
 *   <li>long-lived TCP streams opened before the load starts, echoing a chunk every 200 ms, each
 *       half-closed and checked at the end;
 *   <li>{@code GET /info} on the HTTP port;
 *   <li>new WebSockets to {@code /ws}, one echo each.
 * </ul>
 *
 * Run with a Vert.x jar on the class path (no Maven):
 *
 * <pre>java -cp lb-service-all.jar bench/FaultLoad.java --duration 60 --interval 1 ...</pre>
 *
 * Prints "FAULTLOAD READY epoch-ms" once the long streams are open (the load starts then), progress
 * on stderr, and at the end "FAULTLOAD RESULT" and Markdown tables, or with {@code --out FILE} the
 * tables into FILE. Exits 0 when it could measure (whatever the figures), 2 when the cluster failed
 * the checks before the load, 3 when the load itself did not finish in its bound.
 *
 * <p>Outcomes: a connection, request or WebSocket is <b>failed</b> when the client saw an error
 * (refused, reset, timed out, a non-2xx answer) or a clean close with nothing echoed; a stream is
 * <b>cut</b> when it was closed cleanly (FIN) but came back short or different: its missing or
 * wrong bytes are <b>lost bytes</b>, the loss a client cannot see. <b>Waited</b> counts attempts
 * whose outcome came later than the interval after they started, whatever the outcome.
 */
public class FaultLoad {

  enum Outcome {
    OK,
    FAILED,
    CUT
  }

  record Result(Outcome outcome, String reason, long lostBytes, long latencyNs) {}

  record Phase(String name, long atMs) {}

  /** Counts of one kind of traffic, in total and per phase. */
  static final class Tally {
    final String name;
    final long[] failedBy;
    final long[] waitedBy;
    final long[] lostBy;
    final List<Long> okLatencyNs = new ArrayList<>();
    final Map<String, Long> reasons = new TreeMap<>();
    long started;
    long ok;
    long failed;
    long cut;
    long waited;
    long lost;
    long skipped;
    long inFlight;

    Tally(String name, int phases) {
      this.name = name;
      this.failedBy = new long[phases];
      this.waitedBy = new long[phases];
      this.lostBy = new long[phases];
    }

    void add(int phase, int endPhase, Result r, long intervalNs) {
      switch (r.outcome()) {
        case OK -> {
          ok++;
          okLatencyNs.add(r.latencyNs());
        }
        case FAILED -> {
          failed++;
          failedBy[phase]++;
          reasons.merge(r.reason(), 1L, Long::sum);
        }
        case CUT -> {
          cut++;
          lost += r.lostBytes();
          lostBy[endPhase] += r.lostBytes();
          reasons.merge(r.reason(), 1L, Long::sum);
        }
      }
      if (r.latencyNs() > intervalNs) {
        waited++;
        waitedBy[phase]++;
      }
    }
  }

  // ------------------------------------------------------------------ settings
  final String host;
  final int tcpPort;
  final int httpPort;
  final long durationMs;
  final long intervalNs;
  final long timeoutMs;
  final double tcpRate;
  final int size;
  final int streams;
  final int chunk;
  final long chunkEveryMs;
  final double httpRate;
  final double wsRate;
  final List<Phase> phases = new ArrayList<>();

  // ------------------------------------------------------------------ state (event loop only)
  final Vertx vertx;
  final NetClient netClient;
  final HttpClient httpClient;
  final WebSocketClient wsClient;
  final SplittableRandom seeds;
  final Tally tcp;
  final Tally streamTally;
  final Tally echoes;
  final Tally http;
  final Tally ws;
  final List<LongStream> longStreams = new ArrayList<>();
  long t0;
  long loadEnd;
  boolean loading;
  long sequence;

  FaultLoad(Map<String, String> a) {
    host = a.getOrDefault("host", "127.0.0.1");
    tcpPort = Integer.parseInt(a.getOrDefault("tcp-port", "9000"));
    httpPort = Integer.parseInt(a.getOrDefault("http-port", "8080"));
    durationMs = seconds(a.getOrDefault("duration", "60"));
    intervalNs = TimeUnit.MILLISECONDS.toNanos(seconds(a.getOrDefault("interval", "1")));
    timeoutMs = seconds(a.getOrDefault("timeout", "20"));
    tcpRate = Double.parseDouble(a.getOrDefault("tcp-rate", "50"));
    size = Integer.parseInt(a.getOrDefault("size", "4096"));
    streams = Integer.parseInt(a.getOrDefault("streams", "20"));
    chunk = Integer.parseInt(a.getOrDefault("chunk", "1024"));
    chunkEveryMs = 200;
    httpRate = Double.parseDouble(a.getOrDefault("http-rate", "20"));
    wsRate = Double.parseDouble(a.getOrDefault("ws-rate", "10"));
    seeds = new SplittableRandom(Long.parseLong(a.getOrDefault("seed", "20261210")));
    for (String p : a.getOrDefault("phases", "").split(";")) {
      if (!p.isBlank()) {
        int at = p.lastIndexOf('@');
        phases.add(new Phase(p.substring(0, at).trim(), seconds(p.substring(at + 1))));
      }
    }
    if (phases.isEmpty() || phases.get(0).atMs() > 0) {
      phases.add(0, new Phase("before any fault", 0));
    }
    if (durationMs <= 0 || timeoutMs <= 0 || size <= 0 || streams < 0 || chunk <= 0) {
      throw new IllegalArgumentException("duration, timeout, size and chunk must be positive");
    }
    int n = phases.size();
    tcp = new Tally("new TCP connections, " + size + " B echoed each", n);
    streamTally = new Tally("long TCP streams, held through the faults", n);
    echoes = new Tally("long-stream echoes, " + chunk + " B every " + chunkEveryMs + " ms", n);
    http = new Tally("GET /info", n);
    ws = new Tally("new WebSockets to /ws, one echo each", n);

    // One event loop: every callback below runs on it, so the state needs no locks.
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    netClient =
        vertx.createNetClient(
            new NetClientOptions().setConnectTimeout((int) timeoutMs).setTcpNoDelay(true));
    int httpPool = (int) Math.max(16, httpRate * timeoutMs / 1000 + 16);
    httpClient =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAliveTimeout(30).setConnectTimeout((int) timeoutMs),
            new PoolOptions().setHttp1MaxSize(httpPool));
    int wsPool = (int) Math.max(16, wsRate * timeoutMs / 1000 + 16);
    wsClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(wsPool)
                .setConnectTimeout((int) timeoutMs));
  }

  static long seconds(String s) {
    return Math.round(Double.parseDouble(s.replaceAll("s$", "")) * 1000);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    FaultLoad load = new FaultLoad(a);
    CompletableFuture<String> report = new CompletableFuture<>();
    load.vertx
        .getOrCreateContext()
        .runOnContext(
            v -> load.run().onSuccess(report::complete).onFailure(report::completeExceptionally));
    int rc = 0;
    try {
      // The load runs for its duration, then waits at most one timeout for what is in flight.
      long bound = load.durationMs + 3 * load.timeoutMs + 60_000;
      String markdown = report.get(bound, TimeUnit.MILLISECONDS);
      String out = a.get("out");
      if (out != null) {
        java.nio.file.Files.writeString(java.nio.file.Path.of(out), markdown);
        System.out.println("FAULTLOAD RESULT " + out);
      } else {
        System.out.println("FAULTLOAD RESULT");
        System.out.print(markdown);
      }
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("faultload: " + e.getCause().getMessage());
      rc = 2;
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.println("faultload: the load did not finish within its bound");
      rc = 3;
    }
    System.out.flush();
    try {
      load.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("faultload: Vert.x did not close in 10 s: " + e);
    }
    System.exit(rc);
  }

  // ------------------------------------------------------------------ the run

  Future<String> run() {
    // Before any fault: one of each must work, or the cluster is broken and nothing is measured.
    return Future.all(tcpProbe(), httpProbe(), wsProbe())
        .compose(
            all -> {
              for (int i = 0; i < 3; i++) {
                Result r = all.resultAt(i);
                if (r.outcome() != Outcome.OK) {
                  return Future.failedFuture("the cluster failed a check before the load: " + r);
                }
              }
              return openStreams();
            })
        .compose(v -> load());
  }

  Future<Void> openStreams() {
    List<Future<Void>> opened = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      LongStream s = new LongStream(i, seeds.nextLong());
      longStreams.add(s);
      opened.add(s.open());
    }
    return Future.all(opened)
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture("a long stream did not open before the load: " + e));
  }

  Future<String> load() {
    t0 = System.nanoTime();
    loading = true;
    streamTally.started = longStreams.size();
    System.out.println("FAULTLOAD READY " + System.currentTimeMillis());
    System.out.flush();
    Launcher tcpLauncher = new Launcher(tcpRate, tcp, this::tcpProbe);
    Launcher httpLauncher = new Launcher(httpRate, http, this::httpProbe);
    Launcher wsLauncher = new Launcher(wsRate, ws, this::wsProbe);
    long tick =
        vertx.setPeriodic(
            10,
            id -> {
              long elapsedMs = elapsedMs();
              if (elapsedMs >= durationMs) {
                return;
              }
              tcpLauncher.launchDue(elapsedMs);
              httpLauncher.launchDue(elapsedMs);
              wsLauncher.launchDue(elapsedMs);
            });
    long writer =
        vertx.setPeriodic(chunkEveryMs, id -> longStreams.forEach(LongStream::writeChunk));
    long progress = vertx.setPeriodic(5_000, id -> progress());
    Promise<String> done = Promise.promise();
    vertx.setTimer(
        durationMs,
        id -> {
          loading = false;
          loadEnd = System.nanoTime();
          vertx.cancelTimer(tick);
          vertx.cancelTimer(writer);
          longStreams.forEach(LongStream::finish);
          long deadline = loadEnd + TimeUnit.MILLISECONDS.toNanos(timeoutMs + 2_000);
          vertx.setPeriodic(
              100,
              poll -> {
                boolean idle =
                    tcp.inFlight == 0
                        && http.inFlight == 0
                        && ws.inFlight == 0
                        && longStreams.stream().allMatch(s -> s.result != null);
                if (idle || System.nanoTime() > deadline) {
                  vertx.cancelTimer(poll);
                  vertx.cancelTimer(progress);
                  progress();
                  done.complete(report(idle));
                }
              });
        });
    return done.future();
  }

  long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  int phaseAt(long nanoTime) {
    long ms = TimeUnit.NANOSECONDS.toMillis(nanoTime - t0);
    int phase = 0;
    for (int i = 0; i < phases.size(); i++) {
      if (phases.get(i).atMs() <= ms) {
        phase = i;
      }
    }
    return phase;
  }

  void progress() {
    System.err.printf(
        Locale.ROOT,
        "faultload: %5.1f s  tcp %d (failed %d, cut %d)  streams %d/%d open  GET %d (failed %d)"
            + "  ws %d (failed %d)  waited %d  not started %d%n",
        (System.nanoTime() - t0) / 1e9,
        tcp.started,
        tcp.failed,
        tcp.cut,
        longStreams.stream().filter(s -> !s.closed).count(),
        longStreams.size(),
        http.started,
        http.failed,
        ws.started,
        ws.failed,
        tcp.waited + http.waited + ws.waited,
        tcp.skipped + http.skipped + ws.skipped);
  }

  /**
   * Starts attempts at a fixed rate from the load's start. A late tick catches up at most one
   * second's worth; what it leaves out (or what finds the in-flight cap reached) is counted as not
   * started.
   */
  final class Launcher {
    final double rate;
    final Tally tally;
    final Supplier<Future<Result>> probe;
    final long maxInFlight;
    long launched;

    Launcher(double rate, Tally tally, Supplier<Future<Result>> probe) {
      this.rate = rate;
      this.tally = tally;
      this.probe = probe;
      this.maxInFlight = (long) (rate * timeoutMs / 1000) + 10;
    }

    void launchDue(long elapsedMs) {
      long due = (long) (rate * elapsedMs / 1000.0) - launched;
      long cap = Math.max(1, (long) rate);
      if (due > cap) {
        tally.skipped += due - cap;
        launched += due - cap;
        due = cap;
      }
      for (long i = 0; i < due; i++) {
        launched++;
        if (tally.inFlight >= maxInFlight) {
          tally.skipped++;
          continue;
        }
        long start = System.nanoTime();
        int phase = phaseAt(start);
        tally.started++;
        tally.inFlight++;
        probe
            .get()
            .onComplete(
                ar -> {
                  tally.inFlight--;
                  Result r =
                      ar.succeeded()
                          ? ar.result()
                          : new Result(
                              Outcome.FAILED,
                              "probe error: " + ar.cause(),
                              0,
                              System.nanoTime() - start);
                  tally.add(phase, phaseAt(System.nanoTime()), r, intervalNs);
                });
      }
    }
  }

  // ------------------------------------------------------------------ new TCP connections

  Future<Result> tcpProbe() {
    long start = System.nanoTime();
    byte[] payload = new byte[size];
    new SplittableRandom(seeds.nextLong()).nextBytes(payload);
    Promise<Result> result = Promise.promise();
    int[] received = {0};
    long[] wrong = {0};
    Throwable[] error = {null};
    NetSocket[] socket = {null};
    long timer =
        vertx.setTimer(
            timeoutMs,
            id -> {
              if (result.tryComplete(failed("timeout", start)) && socket[0] != null) {
                socket[0].close();
              }
            });
    result.future().onComplete(ar -> vertx.cancelTimer(timer));
    netClient
        .connect(tcpPort, host)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                result.tryComplete(failed("connect: " + brief(ar.cause()), start));
                return;
              }
              NetSocket s = ar.result();
              if (result.future().isComplete()) {
                s.close();
                return;
              }
              socket[0] = s;
              s.handler(
                  buf -> {
                    for (int i = 0; i < buf.length(); i++) {
                      int pos = received[0] + i;
                      if (pos < size && buf.getByte(i) != payload[pos]) {
                        wrong[0]++;
                      }
                    }
                    received[0] += buf.length();
                  });
              s.exceptionHandler(e -> error[0] = error[0] == null ? e : error[0]);
              s.closeHandler(
                  v -> {
                    long latency = System.nanoTime() - start;
                    int got = received[0];
                    long lost = Math.max(0, size - got) + wrong[0] + Math.max(0, got - size);
                    if (lost == 0) {
                      result.tryComplete(new Result(Outcome.OK, "ok", 0, latency));
                    } else if (error[0] != null) {
                      result.tryComplete(
                          failed(
                              "reset after " + bucket(got) + " echoed: " + brief(error[0]), start));
                    } else if (got == 0) {
                      result.tryComplete(failed("closed with nothing echoed", start));
                    } else {
                      result.tryComplete(
                          new Result(
                              Outcome.CUT,
                              "closed cleanly after " + bucket(got) + " of " + size + " B",
                              lost,
                              latency));
                    }
                  });
              s.write(Buffer.buffer(payload))
                  .onComplete(
                      w -> {
                        if (w.succeeded()) {
                          shutdownOutput(s);
                        }
                      });
            });
    return result.future();
  }

  static Result failed(String reason, long start) {
    return new Result(Outcome.FAILED, reason, 0, System.nanoTime() - start);
  }

  /** A coarse size, so that failure reasons group: "0 B", "< 1 KiB", "< 4 KiB", ... */
  static String bucket(long bytes) {
    if (bytes == 0) {
      return "0 B";
    }
    long limit = 1024;
    while (bytes >= limit) {
      limit *= 4;
    }
    return "< " + (limit / 1024) + " KiB";
  }

  static String brief(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("[0-9.:/]+:[0-9]+", "<addr>").replaceAll("\\s+", " ");
  }

  /** Sends FIN and keeps reading, which Vert.x's NetSocket does not offer by itself. */
  static void shutdownOutput(NetSocket socket) {
    Channel channel =
        socket instanceof NetSocketInternal internal
            ? internal.channelHandlerContext().channel()
            : null;
    if (channel instanceof DuplexChannel duplex && channel.isActive()) {
      duplex.shutdownOutput();
    } else {
      socket.end();
    }
  }

  // ------------------------------------------------------------------ long streams

  record Chunk(byte[] bytes, long sentNs, int phase) {}

  /** One TCP stream held through the faults, echoing a chunk every chunkEveryMs. */
  final class LongStream {
    final int id;
    final SplittableRandom bytes;
    final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    NetSocket socket;
    int headOffset;
    long sent;
    long echoed;
    long wrong;
    long extra;
    Throwable error;
    boolean halfClosed;
    boolean closed;
    boolean timedOut;
    Promise<Void> firstEcho = Promise.promise();
    Result result;

    LongStream(int id, long seed) {
      this.id = id;
      this.bytes = new SplittableRandom(seed);
    }

    Future<Void> open() {
      return netClient
          .connect(tcpPort, host)
          .compose(
              s -> {
                socket = s;
                s.handler(this::receive);
                s.exceptionHandler(e -> error = error == null ? e : error);
                s.closeHandler(v -> onClose());
                writeChunk();
                return firstEcho.future().timeout(timeoutMs, TimeUnit.MILLISECONDS);
              });
    }

    void writeChunk() {
      if (socket == null || closed || halfClosed || socket.writeQueueFull()) {
        return;
      }
      byte[] c = new byte[chunk];
      bytes.nextBytes(c);
      long now = System.nanoTime();
      pending.add(new Chunk(c, now, loading ? phaseAt(now) : -1));
      sent += c.length;
      if (loading) {
        echoes.started++;
      }
      socket.write(Buffer.buffer(c));
    }

    void receive(Buffer buf) {
      long now = System.nanoTime();
      for (int i = 0; i < buf.length(); i++) {
        Chunk head = pending.peek();
        if (head == null) {
          extra++;
          continue;
        }
        if (buf.getByte(i) == head.bytes()[headOffset]) {
          echoed++;
        } else {
          wrong++;
        }
        if (++headOffset == head.bytes().length) {
          pending.poll();
          headOffset = 0;
          firstEcho.tryComplete();
          if (head.phase() >= 0) {
            echoes.add(
                head.phase(),
                phaseAt(now),
                new Result(Outcome.OK, "ok", 0, now - head.sentNs()),
                intervalNs);
          }
        }
      }
    }

    /** At the end of the load: no more chunks, FIN, and the rest of the echo must follow. */
    void finish() {
      if (closed) {
        return;
      }
      halfClosed = true;
      shutdownOutput(socket);
      vertx.setTimer(
          timeoutMs,
          id -> {
            if (!closed) {
              timedOut = true;
              socket.close();
            }
          });
    }

    void onClose() {
      closed = true;
      firstEcho.tryFail("closed before its first echo");
      if (t0 == 0) {
        return; // still opening: openStreams reports it
      }
      long now = System.nanoTime();
      long lost = (sent - echoed) + extra; // missing or wrong, and anything never sent
      String reason;
      Outcome outcome;
      if (lost == 0 && halfClosed) {
        outcome = Outcome.OK;
        reason = "ok";
      } else if (timedOut) {
        outcome = Outcome.FAILED;
        reason = "no FIN within the timeout after ours";
      } else if (error != null) {
        outcome = Outcome.FAILED;
        reason = (halfClosed ? "reset at the end: " : "reset during the load: ") + brief(error);
      } else {
        outcome = Outcome.CUT;
        reason =
            halfClosed
                ? "closed cleanly at the end, echo short"
                : "closed cleanly during the load, " + bucket(sent - echoed) + " unechoed";
      }
      result = new Result(outcome, reason, outcome == Outcome.CUT ? lost : 0, 0);
      int phase = phaseAt(now);
      System.err.printf(
          Locale.ROOT,
          "faultload: %5.1f s  long stream %d closed (%s): sent %d, echoed %d, wrong %d%s%n",
          (now - t0) / 1e9,
          id,
          reason,
          sent,
          echoed,
          wrong,
          error == null ? "" : ", error " + brief(error));
      streamTally.add(phase, phase, result, Long.MAX_VALUE);
      // Chunks never echoed: failed echoes, in the phase they were sent in.
      for (Chunk c : pending) {
        if (c.phase() >= 0) {
          echoes.add(
              c.phase(), phase, new Result(Outcome.FAILED, "never echoed", 0, 0), intervalNs);
        }
      }
    }
  }

  // ------------------------------------------------------------------ HTTP and WebSocket

  Future<Result> httpProbe() {
    long start = System.nanoTime();
    Promise<Result> result = Promise.promise();
    long timer =
        vertx.setTimer(timeoutMs + 1_000, id -> result.tryComplete(failed("timeout", start)));
    result.future().onComplete(ar -> vertx.cancelTimer(timer));
    httpClient
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(host)
                .setPort(httpPort)
                .setURI("/info")
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> resp.statusCode()))
        .onComplete(
            ar -> {
              long latency = System.nanoTime() - start;
              if (ar.failed()) {
                result.tryComplete(failed("error: " + brief(ar.cause()), start));
              } else if (ar.result() / 100 != 2) {
                result.tryComplete(failed("status " + ar.result(), start));
              } else {
                result.tryComplete(new Result(Outcome.OK, "ok", 0, latency));
              }
            });
    return result.future();
  }

  Future<Result> wsProbe() {
    long start = System.nanoTime();
    String message = "fault " + (sequence++) + " " + Long.toHexString(seeds.nextLong());
    Promise<Result> result = Promise.promise();
    ClientWebSocket socket = wsClient.webSocket();
    boolean[] welcomed = {false};
    long timer =
        vertx.setTimer(
            timeoutMs,
            id -> {
              if (result.tryComplete(failed("timeout", start))) {
                socket.close();
              }
            });
    result.future().onComplete(ar -> vertx.cancelTimer(timer));
    socket.handler(
        frame -> {
          if (!welcomed[0]) {
            welcomed[0] = true;
            socket.writeTextMessage(message);
            return;
          }
          long latency = System.nanoTime() - start;
          String echo = frame.toString();
          result.tryComplete(
              echo.equals(message)
                  ? new Result(Outcome.OK, "ok", 0, latency)
                  : new Result(Outcome.CUT, "wrong echo", message.length(), latency));
          socket.close();
        });
    socket.exceptionHandler(e -> result.tryComplete(failed("error: " + brief(e), start)));
    socket.closeHandler(
        v ->
            result.tryComplete(
                failed(
                    welcomed[0] ? "closed before the echo" : "closed before the welcome", start)));
    socket
        .connect(
            new WebSocketConnectOptions()
                .setHost(host)
                .setPort(httpPort)
                .setURI("/ws")
                .setConnectTimeout(timeoutMs))
        .onFailure(e -> result.tryComplete(failed("handshake: " + brief(e), start)));
    return result.future();
  }

  // ------------------------------------------------------------------ report

  String report(boolean drained) {
    StringBuilder md = new StringBuilder();
    String interval = duration(intervalNs);
    long failedNew = tcp.failed + ws.failed;
    long waitedNew = tcp.waited + ws.waited + http.waited;
    long lost = tcp.lost + streamTally.lost + ws.lost;
    md.append(
        String.format(
            Locale.ROOT,
            "**%d failed new connections** (TCP and WebSocket; target 0) · **%d requests waited"
                + " longer than %s** (new TCP, WebSocket and GET; plus %d slow echoes on the long"
                + " streams) · **%d bytes lost in completed streams** (target 0; %d streams were"
                + " closed cleanly before their echo was complete or their client was done) · %d"
                + " failed GETs%n%n",
            failedNew,
            waitedNew,
            interval,
            echoes.waited,
            lost,
            tcp.cut + streamTally.cut + ws.cut,
            http.failed));
    md.append("| traffic | started | ok | failed | waited > ")
        .append(interval)
        .append(" | cut: bytes lost (streams) | p50 | p99 | max |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Tally t : List.of(tcp, streamTally, echoes, http, ws)) {
      List<Long> lat = new ArrayList<>(t.okLatencyNs);
      Collections.sort(lat);
      boolean timed = t != streamTally;
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d%s | %d | %d | %s | %s | %s | %s | %s |%n",
              t.name,
              t.started,
              t.skipped > 0 ? " (+" + t.skipped + " not started: generator behind)" : "",
              t.ok,
              t.failed,
              timed ? String.valueOf(t.waited) : "–",
              t == http || t == echoes ? "–" : t.lost + " (" + t.cut + ")",
              timed ? percentile(lat, 0.50) : "–",
              timed ? percentile(lat, 0.99) : "–",
              timed ? percentile(lat, 1.0) : "–"));
    }
    md.append("\n| phase (from) | failed new TCP / WS | failed GETs | waited > ")
        .append(interval)
        .append(" (TCP / WS / GET) | slow or lost stream echoes | bytes lost |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (int i = 0; i < phases.size(); i++) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s (%s) | %d / %d | %d | %d / %d / %d | %d / %d | %d |%n",
              phases.get(i).name(),
              duration(TimeUnit.MILLISECONDS.toNanos(phases.get(i).atMs())),
              tcp.failedBy[i],
              ws.failedBy[i],
              http.failedBy[i],
              tcp.waitedBy[i],
              ws.waitedBy[i],
              http.waitedBy[i],
              echoes.waitedBy[i],
              echoes.failedBy[i],
              tcp.lostBy[i] + streamTally.lostBy[i] + ws.lostBy[i]));
    }
    md.append("\nWhat went wrong, by kind and reason:\n\n");
    boolean any = false;
    for (Tally t : List.of(tcp, streamTally, echoes, http, ws)) {
      for (Map.Entry<String, Long> e : t.reasons.entrySet()) {
        md.append("- ").append(t.name).append(": ").append(e.getKey()).append(": ");
        md.append(e.getValue()).append('\n');
        any = true;
      }
    }
    if (!any) {
      md.append("- nothing\n");
    }
    if (!drained) {
      md.append(
          String.format(
              Locale.ROOT,
              "- still in flight when the load gave up waiting: %d TCP, %d GET, %d WebSocket, %d"
                  + " streams%n",
              tcp.inFlight,
              http.inFlight,
              ws.inFlight,
              longStreams.stream().filter(s -> s.result == null).count()));
    }
    return md.toString();
  }

  static String percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return "–";
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return duration(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
  }

  static String duration(long nanos) {
    double ms = nanos / 1e6;
    if (nanos == 0) {
      return "0 s";
    }
    if (ms < 1000) {
      return String.format(Locale.ROOT, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
    }
    return String.format(Locale.ROOT, ms % 1000 == 0 ? "%.0f s" : "%.1f s", ms / 1000);
  }
}
