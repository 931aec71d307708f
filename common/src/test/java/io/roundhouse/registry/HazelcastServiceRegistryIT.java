package io.roundhouse.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.Nodes;
import io.roundhouse.testing.RecordingRegistryListener;
import io.roundhouse.testing.RecordingRegistryListener.Down;
import io.roundhouse.testing.RecordingRegistryListener.Event;
import io.roundhouse.testing.RecordingRegistryListener.Up;
import io.roundhouse.testing.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two real Hazelcast members in this JVM, each with its own registry client. */
class HazelcastServiceRegistryIT {

  private final TestCluster cluster = TestCluster.create();
  private final List<ServiceRegistry.Watch> watches = new ArrayList<>();
  private ClusterNode a;
  private ClusterNode b;
  private ServiceRegistry registryA;
  private ServiceRegistry registryB;

  @BeforeEach
  void startMembers() {
    a = cluster.join("reg-a");
    b = cluster.join("reg-b");
    Eventually.until(
        "both members see each other",
        () ->
            a.hazelcast().getCluster().getMembers().size() == 2
                && b.hazelcast().getCluster().getMembers().size() == 2);
    registryA = new HazelcastServiceRegistry(a.vertx(), a.hazelcast());
    registryB = new HazelcastServiceRegistry(b.vertx(), b.hazelcast());
  }

  @AfterEach
  void stopMembers() {
    for (ServiceRegistry.Watch w : watches) {
      try {
        w.close().timeout(10, TimeUnit.SECONDS).await();
      } catch (Exception ignored) {
        // the member may be gone already
      }
    }
    Nodes.closeQuietly(b);
    Nodes.closeQuietly(a);
  }

  private RecordingRegistryListener watch(ServiceRegistry registry) {
    RecordingRegistryListener listener = new RecordingRegistryListener();
    watches.add(registry.watch(listener).await());
    return listener;
  }

  private static ServiceInstance instanceOn(ClusterNode node, String id, int port) {
    return new ServiceInstance(id, ServiceInstance.ECHO, "127.0.0.1", port, node.memberId());
  }

  @Test
  void shouldSeeInstanceUpAndDownOnMemberAWhenMemberBRegistersAndDeregisters() {
    RecordingRegistryListener watcher = watch(registryA);
    ServiceInstance echo = instanceOn(b, "echo-b", 7001);

    registryB.register(echo).await();

    Eventually.until(
        "member a's watcher sees echo-b up",
        () -> echo.equals(watcher.live().get("echo-b")),
        watcher::toString);

    registryB.deregister("echo-b").await();

    Eventually.until(
        "member a's watcher sees echo-b down",
        () -> watcher.downs("echo-b") == 1,
        watcher::toString);
    assertThat(watcher.live()).doesNotContainKey("echo-b");
    assertThat(watcher.eventsFor("echo-b"))
        .extracting(Object::getClass)
        .containsExactly(Up.class, Down.class);
  }

  @Test
  void shouldSeeInstanceDownWhenItsMemberCrashes() {
    RecordingRegistryListener watcher = watch(registryA);
    ServiceInstance echo = instanceOn(b, "echo-b", 7001);
    registryB.register(echo).await();
    Eventually.until(
        "member a's watcher sees echo-b up", () -> watcher.live().containsKey("echo-b"));

    Nodes.crash(b); // no deregistration: the member just vanishes

    Eventually.until(
        "member a's watcher sees echo-b down after its member crashed",
        () -> watcher.downs("echo-b") >= 1,
        watcher::toString);
    assertThat(watcher.downs("echo-b")).isEqualTo(1);
    Eventually.until(
        "the crashed member's entry is purged from the map",
        () -> !a.hazelcast().getMap(HazelcastServiceRegistry.MAP_NAME).containsKey("echo-b"));
  }

  @Test
  void shouldDeliverExistingInstanceWhenWatchStartsAfterRegistration() {
    ServiceInstance echo = instanceOn(b, "echo-b", 7001);
    ServiceInstance ws = instanceOn(a, "ws-a", 8001);
    registryB.register(echo).await();
    registryA.register(ws).await();

    RecordingRegistryListener watcher = watch(registryA);

    Eventually.until(
        "the late watcher gets both instances from the snapshot",
        () -> watcher.live().size() == 2,
        watcher::toString);
    assertThat(watcher.live()).containsEntry("echo-b", echo).containsEntry("ws-a", ws);
    assertThat(watcher.events()).allMatch(e -> e instanceof Up);
  }

  @Test
  void shouldSkipEntriesOfAbsentMembersAndMalformedEntriesWhenTakingTheSnapshot() {
    ServiceInstance live = instanceOn(b, "echo-live", 7001);
    ServiceInstance ghost =
        new ServiceInstance("echo-ghost", "echo", "127.0.0.1", 7002, UUID.randomUUID().toString());
    registryB.register(ghost).await();
    b.hazelcast()
        .<String, String>getMap(HazelcastServiceRegistry.MAP_NAME)
        .set("echo-broken", "{\"id\":\"echo-broken\",\"service\":\"echo\"}");
    b.hazelcast()
        .<String, String>getMap(HazelcastServiceRegistry.MAP_NAME)
        .set("echo-garbage", "not json");
    registryB.register(live).await();

    RecordingRegistryListener watcher = watch(registryA);

    // All four entries are in the one snapshot: once the good one is reported, the others were
    // considered and dropped.
    Eventually.until(
        "the watcher gets the live instance", () -> watcher.live().containsKey("echo-live"));
    assertThat(watcher.events()).extracting(Event::id).containsExactly("echo-live");
  }

  @Test
  void shouldReportChangedInstanceWhenItsEntryIsOverwritten() {
    RecordingRegistryListener watcher = watch(registryA);
    registryB.register(instanceOn(b, "echo-b", 7001)).await();
    Eventually.until("echo-b up on 7001", () -> watcher.live().containsKey("echo-b"));

    registryB.register(instanceOn(b, "echo-b", 7002)).await();

    Eventually.until(
        "echo-b reported again on 7002",
        () -> watcher.live("echo-b").map(ServiceInstance::port).orElse(0) == 7002,
        watcher::toString);
    assertThat(watcher.downs("echo-b")).isZero();
  }

  @Test
  void shouldStopNotifyingWhenWatchIsClosed() {
    RecordingRegistryListener closed = new RecordingRegistryListener();
    registryA.watch(closed).await().close().await();
    RecordingRegistryListener open = watch(registryA);

    registryB.register(instanceOn(b, "echo-b", 7001)).await();

    Eventually.until("the open watch sees echo-b", () -> open.live().containsKey("echo-b"));
    assertThat(closed.events()).isEmpty();
  }

  @Test
  void shouldCallListenerOnWatchersContextWhenWatchStartsOnAContext() {
    Context context = a.vertx().getOrCreateContext();
    RecordingRegistryListener watcher = new RecordingRegistryListener();
    Promise<ServiceRegistry.Watch> started = Promise.promise();
    context.runOnContext(v -> registryA.watch(watcher).onComplete(started));
    watches.add(started.future().await());
    registryB.register(instanceOn(b, "echo-b", 7001)).await();
    Eventually.until("echo-b up", () -> watcher.live().containsKey("echo-b"));

    registryB.deregister("echo-b").await();

    Eventually.until("echo-b down", () -> watcher.downs("echo-b") == 1);
    assertThat(watcher.events()).extracting(Event::context).containsOnly(context);
  }

  private static final Duration REFRESH = Duration.ofMillis(200);

  private String stored(String id) {
    return a.hazelcast().<String, String>getMap(HazelcastServiceRegistry.MAP_NAME).get(id);
  }

  private ServiceRegistry.Presence announce(ServiceRegistry registry, ServiceInstance instance) {
    return registry.announce(instance, REFRESH).await();
  }

  @Test
  void shouldWriteItsEntryAgainWhenTheEntryDisappearsBehindTheBackendsBack() {
    RecordingRegistryListener watcher = watch(registryA);
    ServiceInstance echo = instanceOn(b, "echo-b", 7001);
    announce(registryB, echo);
    Eventually.until("echo-b up", () -> watcher.live().containsKey("echo-b"));

    // As a purge of a member counted gone, or lost partitions, would.
    a.hazelcast().getMap(HazelcastServiceRegistry.MAP_NAME).delete("echo-b");

    Eventually.until(
        "echo-b is registered again and the watcher sees it",
        () -> watcher.downs("echo-b") == 1 && echo.equals(watcher.live().get("echo-b")),
        watcher::toString);
    assertThat(stored("echo-b")).isEqualTo(echo.toJson().encode());
  }

  @Test
  void shouldWriteItsEntryAgainUnderItsMemberWhenTheEntryNamesAnotherMember() {
    ServiceInstance echo = instanceOn(b, "echo-b", 7001);
    announce(registryB, echo);

    // As the entry written before a merge gave the member a new UUID would.
    a.hazelcast()
        .<String, String>getMap(HazelcastServiceRegistry.MAP_NAME)
        .set("echo-b", echo.withMemberId(UUID.randomUUID().toString()).toJson().encode());

    Eventually.until(
        "echo-b's entry names its member again",
        () -> echo.toJson().encode().equals(stored("echo-b")),
        () -> stored("echo-b"));
  }

  @Test
  void shouldNeverWriteItsEntryAgainWhenWithdrawn() {
    ServiceRegistry.Presence leaving = announce(registryB, instanceOn(b, "echo-leaving", 7001));
    ServiceInstance staying = instanceOn(b, "echo-staying", 7002);
    announce(registryB, staying);

    assertThat(((RegistryPresence) leaving).state()).isEqualTo(RegistryPresence.State.SERVING);

    leaving.withdraw().await();
    assertThat(((RegistryPresence) leaving).state()).isEqualTo(RegistryPresence.State.WITHDRAWN);
    assertThat(stored("echo-leaving")).as("removed once withdraw completes").isNull();
    a.hazelcast().getMap(HazelcastServiceRegistry.MAP_NAME).delete("echo-staying");

    // The presence still kept has checked and repaired its entry since: the withdrawn one would
    // have been checked as often, had it still been kept.
    Eventually.until(
        "the presence still kept writes its entry again",
        () -> staying.toJson().encode().equals(stored("echo-staying")));
    assertThat(stored("echo-leaving")).isNull();
  }
}
