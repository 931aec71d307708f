package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Member;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.cluster.MembershipConfig;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.Nodes;
import io.roundhouse.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Echo backends as real processes, frozen with SIGSTOP past the (short) heartbeat timeout and woken
 * with SIGCONT, as a long GC pause or a VM stall would; the balancer runs in this JVM. Whatever the
 * cluster did meanwhile (removed the frozen member, split, merged), a serving backend is listed
 * again within a bound, one that deregistered stays out, and a node never frozen is never dropped.
 */
class RegistryHealingIT {

  /** Short timings so a pause past the heartbeat takes seconds, not the production 15 s. */
  private static final MembershipConfig FAST =
      new MembershipConfig(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofSeconds(1));

  /**
   * One more Hazelcast port than members (the balancer and three echo nodes): a member searching
   * for the cluster to merge with waits 5 s on each port where nobody listens.
   */
  private static final int PORTS = 5;

  /** Removal, merge and re-registration take a few multiples of the timings above. */
  private static final Duration BOUND = Duration.ofSeconds(45);

  private final ClusterFixture fixture = new ClusterFixture(FAST, PORTS);
  private final FreezableProcesses processes = new FreezableProcesses(fixture);
  private final List<Set<String>> samples = new ArrayList<>();
  private LbService lb;
  private ClusterNode observer;
  private int tcpPort;
  private int adminPort;

  @AfterEach
  void stopAll() throws Exception {
    processes.close();
    Nodes.closeQuietly(observer);
    fixture.close();
  }

  private void startBalancer() {
    lb = fixture.lb();
    tcpPort = lb.tcpPort();
    adminPort = lb.adminPort();
  }

  private ServiceProcess startBalancerProcess() {
    ServiceProcess p = processes.balancer("lb-1");
    tcpPort = FreezableProcesses.ports(p).get("tcp");
    adminPort = FreezableProcesses.ports(p).get("admin");
    return p;
  }

  /** The balancer's {@code /api/nodes} entries for echo nodes, by id. */
  private Map<String, JsonObject> echoNodes() {
    Map<String, JsonObject> out = new HashMap<>();
    fixture.get(adminPort, "/api/nodes").getJsonArray("nodes").stream()
        .map(JsonObject.class::cast)
        .filter(n -> "echo".equals(n.getString("service")))
        .forEach(n -> out.put(n.getString("id"), n));
    return out;
  }

  /** The echo nodes the balancer lists now; every sample is kept for later assertions. */
  private Set<String> sample() {
    Set<String> listed = Set.copyOf(echoNodes().keySet());
    samples.add(listed);
    return listed;
  }

  private void await(String what, BooleanSupplier condition) {
    Eventually.until(BOUND, what, condition, () -> "last sample " + lastSample());
  }

  private Set<String> lastSample() {
    return samples.isEmpty() ? Set.of() : samples.get(samples.size() - 1);
  }

  /** Connections through the balancer until one is counted on {@code nodeId}, echoed whole. */
  private void awaitServedBy(String nodeId) {
    long before = totalConnections(nodeId);
    await(
        "a connection through the balancer is spliced to " + nodeId,
        () -> {
          try (Socket s = TcpClients.connect(tcpPort)) {
            TcpClients.roundTrip(s, "to " + nodeId);
          } catch (IOException e) {
            return false;
          }
          return totalConnections(nodeId) > before;
        });
  }

  private long totalConnections(String nodeId) {
    JsonObject node = echoNodes().get(nodeId);
    return node == null ? -1 : node.getLong("totalConnections");
  }

  @Test
  void shouldListAndServeANodeAgainWhenItResumesAfterAPausePastTheHeartbeatTimeout()
      throws Exception {
    startBalancer();
    processes.echo("echo-1");
    ServiceProcess frozen = processes.echo("echo-2");
    await("both echo nodes are listed", () -> sample().equals(Set.of("echo-1", "echo-2")));

    processes.freeze(frozen);
    await(
        "the frozen node is dropped after the heartbeat timeout",
        () -> sample().equals(Set.of("echo-1")));
    processes.wake(frozen);

    await("the resumed node is listed again", () -> sample().contains("echo-2"));
    awaitServedBy("echo-2");
    awaitServedBy("echo-1");
  }

  @Test
  void shouldNeverDropTheNodeThatWasNotPausedWhenTwoOthersArePausedInTurn() throws Exception {
    // The first node frozen is the oldest member, the cluster's master: the others must elect
    // another, and the master, once resumed, must rejoin rather than claim the cluster.
    ServiceProcess first = processes.echo("echo-1");
    startBalancer();
    processes.echo("steady");
    ServiceProcess second = processes.echo("echo-3");
    Set<String> all = Set.of("echo-1", "steady", "echo-3");
    await("all echo nodes are listed", () -> sample().equals(all));
    int listed = samples.size();

    processes.freeze(first);
    await("echo-1 is dropped while frozen", () -> !sample().contains("echo-1"));
    awaitServedBy("steady");
    processes.wake(first);
    // The second pause begins while the cluster may still be merging the first node back.
    processes.freeze(second);
    await("echo-3 is dropped while frozen", () -> !sample().contains("echo-3"));
    awaitServedBy("steady");
    processes.wake(second);

    await("every node is listed again", () -> sample().equals(all));
    awaitServedBy("echo-1");
    awaitServedBy("echo-3");
    awaitServedBy("steady");
    assertThat(samples.subList(listed, samples.size()))
        .as("every sample of the balancer's view since all were listed")
        .allMatch(s -> s.contains("steady"));
  }

  @Test
  void shouldKeepADeregisteredNodeOutWhenTheClusterMergesAfterAPause() throws Exception {
    startBalancer();
    processes.echo("echo-1");
    ServiceProcess frozen = processes.echo("echo-2");
    await("both echo nodes are listed", () -> sample().equals(Set.of("echo-1", "echo-2")));
    // The frozen node owns the leaving node's entry, so its copy of the map still holds that entry
    // when it comes back: a merge that put absent entries back would bring the leaver back.
    String frozenMember = new JsonObject(registry().get("echo-2")).getString("memberId");
    ServiceProcess leaving = startNodeWhoseEntryIsOwnedBy(frozenMember);
    String leaver = leaving.nodeId();

    processes.freeze(frozen);
    await("echo-2 is dropped while frozen", () -> !sample().contains("echo-2"));
    leaving.terminate();
    assertThat(leaving.awaitExit(Duration.ofSeconds(30))).as("%s's exit status", leaver).isZero();
    await(leaver + " is out once it deregistered", () -> !sample().contains(leaver));
    int merging = samples.size();
    processes.wake(frozen);

    await("echo-2 is listed again after the merge", () -> sample().contains("echo-2"));
    awaitServedBy("echo-2");
    awaitServedBy("echo-1");
    assertThat(samples.subList(merging, samples.size()))
        .as("every sample since the frozen node resumed")
        .noneMatch(sample -> sample.contains(leaver));
    assertThat(registry().keySet())
        .as("the registry map after the merge")
        .containsExactlyInAnyOrder("echo-1", "echo-2");
  }

  private IMap<String, String> registry() {
    return lb.node().hazelcast().getMap(HazelcastServiceRegistry.MAP_NAME);
  }

  /**
   * Starts echo nodes under fresh ids until one's registry entry lands in a partition {@code
   * member} owns; the others are stopped again. The owner can move when the node joins.
   */
  private ServiceProcess startNodeWhoseEntryIsOwnedBy(String member) throws Exception {
    PartitionService partitions = lb.node().hazelcast().getPartitionService();
    // A member that just joined owns no partition until migration has given it its share.
    await(
        "the partitions have settled and " + member + " owns some",
        () ->
            partitions.isClusterSafe()
                && partitions.getPartitions().stream()
                    .anyMatch(part -> member.equals(ownerOf(partitions, part))));
    int started = 0;
    for (int i = 0; started < 5 && i < 200; i++) {
      String id = "leaving-" + i;
      if (!member.equals(ownerOf(partitions, id))) {
        continue;
      }
      started++;
      ServiceProcess p = processes.echo(id);
      await(
          id + " is listed and the partitions have settled",
          () -> sample().contains(id) && partitions.isClusterSafe());
      if (member.equals(ownerOf(partitions, id))) {
        return p;
      }
      p.close();
      await(id + " is out again", () -> !sample().contains(id));
    }
    throw new AssertionError("no node id whose entry " + member + " owns, after " + started);
  }

  private static String ownerOf(PartitionService partitions, String key) {
    return ownerOf(partitions, partitions.getPartition(key));
  }

  private static String ownerOf(PartitionService partitions, Partition partition) {
    Member owner = partition.getOwner();
    return owner == null ? null : owner.getUuid().toString();
  }

  @Test
  void shouldListAndServeEveryBackendAgainWhenTheBalancerResumesAfterAPause() throws Exception {
    ServiceProcess balancer = startBalancerProcess();
    observer = fixture.cluster.join("observer");
    processes.echo("echo-1");
    processes.echo("echo-2");
    await("both echo nodes are listed", () -> sample().equals(Set.of("echo-1", "echo-2")));
    int members = members();

    processes.freeze(balancer);
    await("the cluster drops the frozen balancer", () -> members() == members - 1);
    processes.wake(balancer);

    await("the balancer lists both again", () -> sample().equals(Set.of("echo-1", "echo-2")));
    awaitServedBy("echo-1");
    awaitServedBy("echo-2");
    // Its entry listener survived its merge back: a new node is pushed, within a bound below the
    // 15 s anti-entropy pass that would find it anyway.
    processes.echo("echo-3");
    Eventually.until(
        Duration.ofSeconds(10), "the balancer is pushed echo-3", () -> sample().contains("echo-3"));
    awaitServedBy("echo-3");
  }

  private int members() {
    return observer.hazelcast().getCluster().getMembers().size();
  }
}
