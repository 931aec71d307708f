package io.roundhouse.load;

import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.admin.NodeStats;
import io.roundhouse.load.admin.NodesSnapshot;
import io.roundhouse.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lb-service, N echo-service and M ws-service JVMs on 127.0.0.1, in a Hazelcast cluster of
 * their own (unique name, random port range, local mode). Every port but Hazelcast's is chosen by
 * the OS; the balancer's are read from its port file, the backends' from its admin API.
 */
final class LocalCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

  private static final int CLUSTER_PORT_COUNT = 12;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** Backends starting at once: many more would starve each other on a two-core machine. */
  private static final int PARALLEL_STARTS = 3;

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Thread killOnExit = new Thread(this::killAll, "local-cluster-kill");
  private final Map<String, String> clusterEnv = new HashMap<>();
  private final Path logs;
  private int tcpPort;
  private int udpPort;
  private int httpPort;
  private int adminPort;
  private AdminClient admin;

  private LocalCluster(Path logs) {
    this.logs = logs;
    String name = "rh-load-" + UUID.randomUUID().toString().substring(0, 8);
    int base = 20_000 + ThreadLocalRandom.current().nextInt(0, 1000) * CLUSTER_PORT_COUNT;
    clusterEnv.put("CLUSTER_MODE", "local");
    clusterEnv.put("CLUSTER_NAME", name);
    clusterEnv.put("CLUSTER_HOST", "127.0.0.1");
    clusterEnv.put("CLUSTER_PORT", Integer.toString(base));
    clusterEnv.put("CLUSTER_PORT_COUNT", Integer.toString(CLUSTER_PORT_COUNT));
    clusterEnv.put("SHUTDOWN_GRACE", "2s");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts the cluster and returns once the balancer lists every backend. */
  static LocalCluster start(int echoNodes, int wsNodes, Path logs) throws Exception {
    LocalCluster cluster = new LocalCluster(logs);
    try {
      cluster.startAll(echoNodes, wsNodes);
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  int tcpPort() {
    return tcpPort;
  }

  int udpPort() {
    return udpPort;
  }

  int httpPort() {
    return httpPort;
  }

  int adminPort() {
    return adminPort;
  }

  AdminClient admin() {
    return admin;
  }

  List<Long> pids() {
    return processes.stream().map(ServiceProcess::pid).toList();
  }

  private void startAll(int echoNodes, int wsNodes) throws Exception {
    long started = System.nanoTime();
    long deadline = started + START_TIMEOUT.toNanos();
    Map<String, String> lbEnv = new HashMap<>(clusterEnv);
    lbEnv.putAll(
        Map.of(
            "LB_HOST", "127.0.0.1",
            "LB_TCP_PORT", "0",
            "LB_HTTP_PORT", "0",
            "LB_ADMIN_HOST", "127.0.0.1",
            "LB_ADMIN_PORT", "0"));
    ServiceProcess lb = start("roundhouse.lb.jar", "lb-1", lbEnv);
    Map<String, Integer> ports = lb.awaitPorts(START_TIMEOUT);
    tcpPort = ports.get("tcp");
    udpPort = ports.get("udp");
    httpPort = ports.get("http");
    adminPort = ports.get("admin");
    admin = new AdminClient("http://127.0.0.1:" + adminPort);

    List<String> pending = new ArrayList<>();
    for (int i = 1; i <= echoNodes; i++) {
      pending.add("echo-" + i);
    }
    for (int i = 1; i <= wsNodes; i++) {
      pending.add("ws-" + i);
    }
    List<String> expected = List.copyOf(pending);
    List<String> starting = new ArrayList<>();
    while (true) {
      failIfAnyDied();
      List<String> registered = registered();
      starting.removeAll(registered);
      if (registered.containsAll(expected)) {
        break;
      }
      while (!pending.isEmpty() && starting.size() < PARALLEL_STARTS) {
        String id = pending.remove(0);
        startBackend(id);
        starting.add(id);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "backends not registered within " + START_TIMEOUT + ": " + starting + pending);
      }
      Thread.sleep(200);
    }
    LOG.info(
        "cluster {} up in {} ms: lb-1 (TCP {}, HTTP {}, admin {}), {} echo, {} ws; logs in {}",
        clusterEnv.get("CLUSTER_NAME"),
        (System.nanoTime() - started) / 1_000_000,
        tcpPort,
        httpPort,
        adminPort,
        echoNodes,
        wsNodes,
        logs);
  }

  /** Starts one more backend (echo-N or ws-N) and returns once the balancer lists it. */
  ServiceProcess join(String id) throws Exception {
    startBackend(id);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!registered().contains(id)) {
      failIfAnyDied();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " not registered within " + START_TIMEOUT);
      }
      Thread.sleep(200);
    }
    return processes.get(processes.size() - 1);
  }

  /** Stops a backend {@link #join} started, as a SIGTERM does, and waits for it to exit. */
  void leave(ServiceProcess backend) throws InterruptedException {
    backend.terminate();
    backend.awaitExit(Duration.ofSeconds(30));
    processes.remove(backend);
  }

  private void startBackend(String id) throws IOException {
    Map<String, String> env = new HashMap<>(clusterEnv);
    if (id.startsWith("echo-")) {
      env.putAll(
          Map.of(
              "ECHO_HOST", "127.0.0.1",
              "ECHO_PORT", "0",
              "ECHO_INSTANCES", "1",
              "ECHO_ADMIN_PORT", "0"));
      start("roundhouse.echo.jar", id, env);
    } else {
      env.putAll(Map.of("WS_HOST", "127.0.0.1", "WS_PORT", "0", "WS_INSTANCES", "1"));
      start("roundhouse.ws.jar", id, env);
    }
  }

  private ServiceProcess start(String jarProperty, String id, Map<String, String> env)
      throws IOException {
    ServiceProcess p = ServiceProcess.start(jarProperty, id, logs, env);
    processes.add(p);
    LOG.info("started {} (pid {})", id, p.pid());
    return p;
  }

  private List<String> registered() throws InterruptedException {
    try {
      NodesSnapshot nodes = admin.nodes();
      return nodes.nodes().stream().filter(NodeStats::healthy).map(NodeStats::id).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private void failIfAnyDied() {
    for (ServiceProcess p : processes) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            p.nodeId() + " (pid " + p.pid() + ") exited while starting:\n" + p.log());
      }
    }
  }

  private void killAll() {
    processes.forEach(ServiceProcess::kill);
  }

  /**
   * Stops every process this cluster started, each by its PID: SIGTERM, then SIGKILL after 10 s.
   */
  @Override
  public void close() {
    processes.forEach(ServiceProcess::terminate);
    try {
      for (ServiceProcess p : processes) {
        p.close();
      }
    } catch (InterruptedException e) {
      killAll();
      Thread.currentThread().interrupt();
    }
    LOG.info("stopped {} processes", processes.size());
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it only kills what is already stopped.
    }
  }
}
