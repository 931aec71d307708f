package io.roundhouse.lb;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.config.Settings;
import io.roundhouse.echo.EchoConfig;
import io.roundhouse.echo.EchoVerticle;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.runtime.ScaledDeployment;
import io.roundhouse.stats.ConnectionCounter;
import io.roundhouse.stats.StatsPublisher;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Many real echo nodes on one cluster member, for tests that need dozens of backends without dozens
 * of JVMs or Hazelcast members. Each node is what {@code BackendRuntime} makes of an echo-service,
 * minus the admin port and UDP: its own listening sockets on port 0 ({@code loops} {@link
 * EchoVerticle}s), its own registry entry under its own node id in the real Hazelcast registry, and
 * its own {@link StatsPublisher} on the event bus. They share the member's Vert.x, event loops and
 * process (so the same fds).
 */
final class EchoFleet implements AutoCloseable {

  private record Node(
      String id,
      ScaledDeployment.Deployed deployed,
      ServiceRegistry.Presence presence,
      StatsPublisher publisher) {}

  private final ClusterNode member;
  private final EchoConfig config;
  private final ServiceRegistry registry;
  private final int loops;
  private final List<Node> nodes = new ArrayList<>();

  /** Joins {@code memberId} to the fixture's cluster; nodes are added with {@link #add}. */
  EchoFleet(ClusterFixture fixture, String memberId, int loops) {
    this.member = fixture.cluster.join(memberId, ServiceInstance.ECHO);
    this.config =
        EchoConfig.from(
            Settings.of(
                fixture.settings(memberId, Map.of("ECHO_PORT", "0", "ECHO_HOST", "127.0.0.1"))));
    this.registry = new HazelcastServiceRegistry(member.vertx(), member.hazelcast());
    this.loops = loops;
  }

  /** Starts one node: listening, then registered, then publishing, as a real one starts. */
  void add(String id) {
    ConnectionCounter counter = new ConnectionCounter();
    Future<Node> started =
        ScaledDeployment.deploy(
                member.vertx(), 0, loops, port -> new EchoVerticle(config, port, counter))
            .compose(
                deployed ->
                    registry
                        .announce(
                            new ServiceInstance(
                                id,
                                ServiceInstance.ECHO,
                                config.advertisedHost(),
                                deployed.port(),
                                member.memberId()),
                            member.membership().registryRefresh())
                        .map(
                            presence -> {
                              StatsPublisher publisher =
                                  new StatsPublisher(
                                      member.vertx(), id, ServiceInstance.ECHO, counter);
                              publisher.start(StatsPublisher.DEFAULT_INTERVAL_MS);
                              return new Node(id, deployed, presence, publisher);
                            }));
    nodes.add(started.timeout(30, TimeUnit.SECONDS).await());
  }

  /** Withdraws every node, closes its listeners, then leaves the cluster. */
  @Override
  public void close() {
    for (Node node : nodes) {
      node.publisher().stop();
      node.presence()
          .withdraw()
          .eventually(() -> node.deployed().undeploy(member.vertx()))
          .timeout(30, TimeUnit.SECONDS)
          .await();
    }
    nodes.clear();
    member.close().timeout(30, TimeUnit.SECONDS).await();
  }
}
