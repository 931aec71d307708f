package io.roundhouse.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.config.Settings;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.stats.NodeStats;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.Nodes;
import io.roundhouse.testing.PrometheusText;
import io.roundhouse.testing.RecordingRegistryListener;
import io.roundhouse.testing.TestCluster;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real echo-service on a cluster of its own, reached over loopback sockets; a second member
 * observes its registry entry and published counts.
 */
class EchoServiceIT {

  private static final int MIB = 1024 * 1024;
  private static final String NODE_ID = "echo-it";
  private static final int READ_TIMEOUT_MS = 60_000;

  private static TestCluster cluster;
  private static ClusterNode echoNode;
  private static ClusterNode observer;

  private final List<EchoService> services = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<ServiceRegistry.Watch> watches = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  static void joinCluster() {
    cluster = TestCluster.create();
    echoNode = cluster.join(NODE_ID, "echo");
    observer = cluster.join("observer-it");
  }

  @AfterAll
  static void leaveCluster() {
    Nodes.closeQuietly(observer);
    Nodes.closeQuietly(echoNode);
  }

  @AfterEach
  void cleanUp() {
    threads.shutdownNow();
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
    for (ServiceRegistry.Watch w : watches) {
      try {
        w.close().timeout(10, TimeUnit.SECONDS).await();
      } catch (Exception ignored) {
        // best effort
      }
    }
    for (EchoService s : services) {
      try {
        s.stop().timeout(30, TimeUnit.SECONDS).await();
      } catch (Exception ignored) {
        // stopped by the test already
      }
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private EchoService start(String idleTimeout) {
    Map<String, String> env = new HashMap<>();
    env.put("NODE_ID", NODE_ID);
    env.put("ECHO_HOST", "127.0.0.1");
    env.put("ECHO_PORT", "0");
    env.put("ECHO_INSTANCES", "2");
    env.put("ECHO_IDLE_TIMEOUT", idleTimeout);
    env.put("ECHO_ADMIN_PORT", "0");
    env.put("SHUTDOWN_GRACE", "1s");
    env.put("CLUSTER_NAME", cluster.config().clusterName());
    env.put("CLUSTER_PORT", String.valueOf(cluster.config().port()));
    env.put("CLUSTER_PORT_COUNT", String.valueOf(cluster.config().portCount()));
    EchoConfig config = EchoConfig.from(Settings.of(env));
    assertThat(config.cluster()).isEqualTo(cluster.config());
    EchoService service = EchoService.start(echoNode, config).await();
    services.add(service);
    return service;
  }

  private EchoService start() {
    return start("0");
  }

  private static String get(int port, String path, int status) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    return response.body();
  }

  private Socket connect(EchoService service) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.connect(new InetSocketAddress("127.0.0.1", service.port()), 10_000);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    return socket;
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Reads until EOF; a read that waits longer than the socket timeout fails the test. */
  private static byte[] readToEof(Socket socket, int expected) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream(expected);
    byte[] chunk = new byte[64 * 1024];
    InputStream in = socket.getInputStream();
    int n;
    while ((n = in.read(chunk)) >= 0) {
      received.write(chunk, 0, n);
    }
    return received.toByteArray();
  }

  private Future<Void> writeThenHalfClose(Socket socket, byte[] payload, AtomicLong sent) {
    return threads.submit(
        () -> {
          OutputStream out = socket.getOutputStream();
          int chunk = 16 * 1024;
          for (int off = 0; off < payload.length; off += chunk) {
            int len = Math.min(chunk, payload.length - off);
            out.write(payload, off, len);
            sent.addAndGet(len);
          }
          out.flush();
          socket.shutdownOutput();
          return null;
        });
  }

  private static void assertSameBytes(byte[] received, byte[] expected) {
    assertThat(received.length).as("bytes echoed before EOF").isEqualTo(expected.length);
    assertThat(Arrays.mismatch(received, expected))
        .as("offset of the first wrong byte")
        .isEqualTo(-1);
  }

  private RecordingRegistryListener watchFromObserver() {
    RecordingRegistryListener listener = new RecordingRegistryListener();
    ServiceRegistry registry = new HazelcastServiceRegistry(observer.vertx(), observer.hazelcast());
    watches.add(registry.watch(listener).await());
    return listener;
  }

  // --- echo ------------------------------------------------------------------------------------

  @Test
  void shouldEchoEveryByteBeforeEofWhenClientHalfClosesAfterWriting() throws Exception {
    EchoService service = start();
    byte[] payload = random(4 * MIB, 1);
    Socket socket = new Socket();
    sockets.add(socket);
    socket.setReceiveBufferSize(64 * 1024); // the echo backs up on the server, not in our buffer
    socket.connect(new InetSocketAddress("127.0.0.1", service.port()), 10_000);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    AtomicLong sent = new AtomicLong();

    Future<Void> writer = writeThenHalfClose(socket, payload, sent);
    // Read only once the client has sent everything and half-closed (or cannot send more), so
    // the FIN reaches the server while most of the echo is still queued there.
    if (awaitStall(sent, payload.length) == payload.length) {
      writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS); // half-closed before reading a byte
      // Lets the FIN reach the server before we drain anything: it has once the server's kernel
      // acknowledged it; if the server's window closed first, it can get there only once we read.
      Eventually.until(
          "the server acknowledged our FIN, or has no room for what we still send",
          () -> {
            TcpState tcp = TcpState.of(socket);
            return tcp.finAcknowledged() || tcp.probingZeroWindow();
          },
          () -> TcpState.of(socket));
      System.out.println("Before reading the echo: " + TcpState.of(socket));
    }
    byte[] received = readToEof(socket, payload.length);

    writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertSameBytes(received, payload);
  }

  @Test
  void shouldEchoEveryByteBeforeEofWhenClientReadsWhileWriting() throws Exception {
    EchoService service = start();
    byte[] payload = random(4 * MIB, 3);
    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", service.port()));
    sockets.add(channel.socket());
    Future<Void> writer =
        threads.submit(
            () -> {
              ByteBuffer buf = ByteBuffer.wrap(payload);
              while (buf.hasRemaining()) {
                channel.write(buf);
              }
              channel.shutdownOutput();
              return null;
            });

    ByteBuffer received = ByteBuffer.allocate(payload.length + 1);
    Future<Integer> reader =
        threads.submit(
            () -> {
              int total = 0;
              int n;
              while ((n = channel.read(received)) >= 0 && received.hasRemaining()) {
                total += n;
              }
              return n < 0 ? total : -1;
            });

    writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertThat(reader.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        .as("bytes read before EOF")
        .isEqualTo(payload.length);
    assertSameBytes(Arrays.copyOf(received.array(), received.position()), payload);
  }

  @Test
  void shouldStopReadingAndBufferBoundedlyWhenClientDoesNotReadItsEcho() throws Exception {
    EchoService service = start();
    byte[] payload = random(64 * MIB, 2);
    Socket socket = new Socket();
    sockets.add(socket);
    // Small client buffers (set before connecting), so what the client gets to send while not
    // reading is mostly what the server side took in: kernel buffers plus its own queue.
    socket.setSendBufferSize(64 * 1024);
    socket.setReceiveBufferSize(64 * 1024);
    socket.connect(new InetSocketAddress("127.0.0.1", service.port()), 10_000);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    AtomicLong sent = new AtomicLong();

    Future<Void> writer = writeThenHalfClose(socket, payload, sent);
    long stalledAt = awaitStall(sent, payload.length);

    System.out.printf("Client sent %,d bytes before the echo server stopped reading%n", stalledAt);
    assertThat(stalledAt)
        .as("bytes the server accepted from a client that reads nothing")
        .isLessThan(16L * MIB);
    assertThat(writer).isNotDone();

    byte[] received = readToEof(socket, payload.length);
    writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertSameBytes(received, payload);
  }

  /** Waits until the writer has made no progress for two seconds, or has sent everything. */
  private static long awaitStall(AtomicLong sent, long total) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = sent.get();
      if (now == total) {
        return now;
      }
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(2)) {
        return now;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the client kept writing for a minute without reading: " + last);
  }

  @Test
  void shouldEchoEachConnectionSeparatelyWhenManyClientsSendAtOnce() throws Exception {
    EchoService service = start();
    int clients = 16;
    List<byte[]> payloads = new ArrayList<>();
    List<Future<byte[]>> readers = new ArrayList<>();
    List<Future<Void>> writers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      byte[] payload = random(512 * 1024 + i, 100 + i);
      Socket socket = connect(service);
      payloads.add(payload);
      writers.add(writeThenHalfClose(socket, payload, new AtomicLong()));
      readers.add(threads.submit(() -> readToEof(socket, payload.length)));
    }

    for (int i = 0; i < clients; i++) {
      writers.get(i).get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      assertSameBytes(readers.get(i).get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS), payloads.get(i));
    }
  }

  @Test
  void shouldCloseIdleConnectionWhenIdleTimeoutIsShorterThanASecond() throws IOException {
    EchoService service = start("500ms");
    Socket socket = connect(service);

    // Sends nothing: the server must close the connection, which the client sees as EOF.
    assertThat(socket.getInputStream().read()).isEqualTo(-1);
    Eventually.until(
        "the idle connection is no longer counted", () -> service.counter().active() == 0);
  }

  // --- connection counts -----------------------------------------------------------------------

  @Test
  void shouldCountConnectionsUpAndDownWhenClientsConnectAndGo() throws IOException {
    EchoService service = start();
    Socket graceful = connect(service);
    Socket reset = connect(service);
    Socket halfClosed = connect(service);

    Eventually.until(
        "three active connections",
        () -> service.counter().active() == 3,
        () -> service.counter().active());
    assertThat(service.counter().total()).isEqualTo(3);

    graceful.close();
    Eventually.until("a closed connection is uncounted", () -> service.counter().active() == 2);

    reset.setSoLinger(true, 0);
    reset.close(); // RST instead of FIN
    Eventually.until("a reset connection is uncounted", () -> service.counter().active() == 1);

    halfClosed.getOutputStream().write("bye".getBytes());
    halfClosed.shutdownOutput();
    assertThat(readToEof(halfClosed, 3)).isEqualTo("bye".getBytes());
    Eventually.until(
        "a half-closed connection is uncounted", () -> service.counter().active() == 0);

    Socket later = connect(service);
    Eventually.until("a new connection is counted", () -> service.counter().total() == 4);
    assertThat(service.counter().active()).isEqualTo(1);
    later.close();
    Eventually.until("no connection is left", () -> service.counter().active() == 0);
    assertThat(service.counter().total()).isEqualTo(4);
  }

  @Test
  void shouldServeHealthAndConnectionMetricsWhenAdminPortIsAsked() throws Exception {
    EchoService service = start();
    Map<String, String> labels = Map.of("node", NODE_ID, "service", "echo", "protocol", "tcp");
    connect(service);
    connect(service);
    Eventually.until("two active connections", () -> service.counter().active() == 2);

    String metrics = get(service.adminPort(), "/metrics", 200);
    assertThat(PrometheusText.value(metrics, "roundhouse_connections_active", labels))
        .contains(2.0);
    assertThat(PrometheusText.value(metrics, "roundhouse_connections_total", labels)).contains(2.0);
    assertThat(metrics).contains("process_files_open_files", "jvm_memory_used_bytes");
    assertThat(get(service.adminPort(), "/health/live", 200)).contains("UP");
    assertThat(get(service.adminPort(), "/health/ready", 200)).contains("UP");

    service.stop().await();
    assertThatThrownBy(() -> new Socket("127.0.0.1", service.adminPort()).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void shouldPublishConnectionCountsToOtherMembersWhenClientsConnect() throws IOException {
    EchoService service = start();
    List<NodeStats> seen = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer =
        observer
            .vertx()
            .eventBus()
            .<JsonObject>consumer(NodeStats.ADDRESS, m -> seen.add(NodeStats.fromJson(m.body())));
    try {
      consumer.completion().await();
      Socket socket = connect(service);

      Eventually.until(
          "the observer sees one active connection",
          () -> seen.contains(new NodeStats(NODE_ID, ServiceInstance.ECHO, 1, 1)),
          () -> seen);

      socket.close();

      Eventually.until(
          "the observer sees the connection gone",
          () -> seen.contains(new NodeStats(NODE_ID, ServiceInstance.ECHO, 0, 1)),
          () -> seen);
    } finally {
      consumer.unregister().await();
    }
  }

  // --- registry --------------------------------------------------------------------------------

  @Test
  void shouldRegisterTheBoundPortWhenStartedOnPortZero() throws IOException {
    RecordingRegistryListener watcher = watchFromObserver();

    EchoService service = start();

    Eventually.until(
        "the observer sees the echo instance",
        () -> watcher.live(NODE_ID).isPresent(),
        watcher::toString);
    ServiceInstance instance = watcher.live(NODE_ID).orElseThrow();
    assertThat(instance.port()).isEqualTo(service.port()).isPositive();
    assertThat(instance.service()).isEqualTo(ServiceInstance.ECHO);
    assertThat(instance.host()).isEqualTo("127.0.0.1");
    assertThat(instance.memberId()).isEqualTo(echoNode.memberId());

    // The registered address serves.
    try (Socket socket = new Socket(instance.host(), instance.port())) {
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.getOutputStream().write("ping".getBytes());
      socket.shutdownOutput();
      assertThat(readToEof(socket, 4)).isEqualTo("ping".getBytes());
    }
  }

  @Test
  void shouldDeregisterAndStopListeningWhenStopped() {
    RecordingRegistryListener watcher = watchFromObserver();
    EchoService service = start();
    Eventually.until(
        "the observer sees the echo instance", () -> watcher.live(NODE_ID).isPresent());
    int port = service.port();

    service.stop().await();

    Eventually.until(
        "the observer sees the echo instance down",
        () -> watcher.downs(NODE_ID) == 1,
        watcher::toString);
    assertThat(observer.hazelcast().getMap("roundhouse.registry").containsKey(NODE_ID)).isFalse();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }
}
