package io.roundhouse.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.config.Settings;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.testing.Nodes;
import io.roundhouse.testing.RecordingRegistryListener;
import io.roundhouse.testing.TestCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real echo-service on a cluster of its own, reached over loopback sockets; a second member
 * observes its registry entry and published counts. Register it as a {@code static}
 * {@code @RegisterExtension} field: the cluster lives as long as the test class, and what a test
 * starts (services, sockets, watches, threads) is closed after that test.
 */
final class EchoFixture
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  static final String NODE_ID = "echo-it";
  static final int READ_TIMEOUT_MS = 60_000;

  private TestCluster cluster;
  private ClusterNode echoNode;
  private ClusterNode observer;

  private final List<EchoService> services = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<ServiceRegistry.Watch> watches = new ArrayList<>();
  private ExecutorService threads;

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = TestCluster.create();
    echoNode = cluster.join(NODE_ID, "echo");
    observer = cluster.join("observer-it");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Nodes.closeQuietly(observer);
    Nodes.closeQuietly(echoNode);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    threads = Executors.newCachedThreadPool();
  }

  @Override
  public void afterEach(ExtensionContext context) {
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
    sockets.clear();
    watches.clear();
    services.clear();
  }

  /** The member the echo-service runs on. */
  ClusterNode echoNode() {
    return echoNode;
  }

  /** The other member, which sees the echo-service only through the cluster. */
  ClusterNode observer() {
    return observer;
  }

  /** Starts an echo-service on loopback, port 0, with this idle timeout ("0": none). */
  EchoService start(String idleTimeout) {
    return start(Map.of("ECHO_IDLE_TIMEOUT", idleTimeout));
  }

  /** Starts an echo-service on loopback, port 0, no idle timeout, with these settings on top. */
  EchoService start(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>();
    env.put("NODE_ID", NODE_ID);
    env.put("ECHO_HOST", "127.0.0.1");
    env.put("ECHO_PORT", "0");
    env.put("ECHO_INSTANCES", "2");
    env.put("ECHO_IDLE_TIMEOUT", "0");
    env.put("ECHO_ADMIN_PORT", "0");
    env.put("SHUTDOWN_GRACE", "1s");
    env.put("CLUSTER_NAME", cluster.config().clusterName());
    env.put("CLUSTER_PORT", String.valueOf(cluster.config().port()));
    env.put("CLUSTER_PORT_COUNT", String.valueOf(cluster.config().portCount()));
    env.putAll(settings);
    EchoConfig config = EchoConfig.from(Settings.of(env));
    assertThat(config.cluster()).isEqualTo(cluster.config());
    EchoService service = EchoService.start(echoNode, config).await();
    services.add(service);
    return service;
  }

  EchoService start() {
    return start(Map.of());
  }

  /** An unconnected socket, closed after the test: set its buffer sizes, then connect it. */
  Socket newSocket() {
    Socket socket = new Socket();
    sockets.add(socket);
    return socket;
  }

  Socket connect(EchoService service) throws IOException {
    return connect(newSocket(), service);
  }

  static Socket connect(Socket socket, EchoService service) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", service.port()), 10_000);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    return socket;
  }

  /** A blocking channel to the service, closed after the test. */
  SocketChannel openChannel(EchoService service) throws IOException {
    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", service.port()));
    sockets.add(channel.socket());
    return channel;
  }

  /** Runs on a thread of this test, interrupted after it. */
  <T> Future<T> submit(Callable<T> task) {
    return threads.submit(task);
  }

  /** Writes the payload in 16 KiB chunks, counting into {@code sent}, then half-closes. */
  Future<Void> writeThenHalfClose(Socket socket, byte[] payload, AtomicLong sent) {
    return submit(
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

  /** Watches the registry from the observer member, until the test ends. */
  RecordingRegistryListener watchFromObserver() {
    RecordingRegistryListener listener = new RecordingRegistryListener();
    ServiceRegistry registry = new HazelcastServiceRegistry(observer.vertx(), observer.hazelcast());
    watches.add(registry.watch(listener).await());
    return listener;
  }
}
