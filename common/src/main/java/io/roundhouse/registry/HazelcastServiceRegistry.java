package io.roundhouse.registry;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry as a replicated Hazelcast map of JSON entries keyed by node id. Entry and membership
 * listeners push changes; nothing polls to learn of joins and leaves.
 */
public final class HazelcastServiceRegistry implements ServiceRegistry {

  public static final String MAP_NAME = "roundhouse.registry";
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastServiceRegistry.class);

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> entries;

  public HazelcastServiceRegistry(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.entries = hazelcast.getMap(MAP_NAME);
  }

  /**
   * The registry map: on a merge after a split, the entries of the joining (smaller) side are
   * dropped, not put where absent, so an entry deleted on the surviving side (a deregistered node,
   * a purged dead member) is not brought back. Every backend of the joining side writes its own
   * entry again. Two asynchronous backups beyond the one Hazelcast keeps: the map is tiny, and two
   * members lost at once (two stalls) must not take a healthy node's entry with them.
   */
  public static MapConfig mapConfig() {
    MapConfig map = new MapConfig(MAP_NAME).setBackupCount(1).setAsyncBackupCount(2);
    map.getMergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName());
    return map;
  }

  @Override
  public Future<Void> register(ServiceInstance instance) {
    LOG.info(
        "Registering {} ({} on {}:{})",
        instance.id(),
        instance.service(),
        instance.host(),
        instance.port());
    return Future.fromCompletionStage(
        entries.setAsync(instance.id(), instance.toJson().encode()), vertx.getOrCreateContext());
  }

  @Override
  public Future<Presence> announce(ServiceInstance instance, Duration refresh) {
    LOG.info(
        "Registering {} ({} on {}:{}), checked every {} ms",
        instance.id(),
        instance.service(),
        instance.host(),
        instance.port(),
        refresh.toMillis());
    return new RegistryPresence(vertx, hazelcast, entries, instance, refresh).start();
  }

  @Override
  public Future<Void> deregister(String id) {
    LOG.info("Deregistering {}", id);
    return Future.fromCompletionStage(entries.removeAsync(id), vertx.getOrCreateContext())
        .mapEmpty();
  }

  @Override
  public Future<Watch> watch(RegistryListener listener) {
    Context context = vertx.getOrCreateContext();
    RegistryView view = new RegistryView(listener, this::liveMembers, this::snapshot);
    return vertx
        .executeBlocking(
            () -> {
              UUID entryListener = entries.addEntryListener(new EntryBridge(context, view), true);
              UUID memberListener =
                  hazelcast.getCluster().addMembershipListener(new MemberBridge(context, view));
              // After a merge this member's copy of the map may be another cluster's: read it all.
              UUID lifecycleListener =
                  hazelcast
                      .getLifecycleService()
                      .addLifecycleListener(
                          event -> {
                            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                              context.runOnContext(v -> view.reconcile());
                            }
                          });
              return new HazelcastWatch(entryListener, memberListener, lifecycleListener, view);
            })
        .compose(watch -> view.start(context).map(watch));
  }

  Set<String> liveMembers() {
    return hazelcast.getCluster().getMembers().stream()
        .map(m -> m.getUuid().toString())
        .collect(Collectors.toSet());
  }

  Future<Map<String, String>> snapshot() {
    return vertx.executeBlocking(() -> Map.copyOf(entries));
  }

  /**
   * Removes the entries of a member that left, once, on the oldest member. Each only if unchanged
   * since it was read: the node may be back already, under a new member, and have written it again.
   */
  void purgeEntriesOf(String memberId) {
    Member oldest = hazelcast.getCluster().getMembers().iterator().next();
    if (!oldest.localMember()) {
      return;
    }
    vertx.executeBlocking(
        () -> {
          entries.forEach(
              (id, json) -> {
                if (memberId.equals(new JsonObject(json).getString("memberId"))) {
                  LOG.info("Removing {}: its member {} left the cluster", id, memberId);
                  entries.remove(id, json);
                }
              });
          return null;
        });
  }

  private final class HazelcastWatch implements Watch {
    private final UUID entryListener;
    private final UUID memberListener;
    private final UUID lifecycleListener;
    private final RegistryView view;

    HazelcastWatch(
        UUID entryListener, UUID memberListener, UUID lifecycleListener, RegistryView view) {
      this.entryListener = entryListener;
      this.memberListener = memberListener;
      this.lifecycleListener = lifecycleListener;
      this.view = view;
    }

    @Override
    public Future<Void> close() {
      view.stop();
      return vertx.executeBlocking(
          () -> {
            if (hazelcast.getLifecycleService().isRunning()) {
              entries.removeEntryListener(entryListener);
              hazelcast.getCluster().removeMembershipListener(memberListener);
              hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
            }
            return null;
          });
    }
  }

  /** Hops Hazelcast's entry events onto the watcher's context. */
  private record EntryBridge(Context context, RegistryView view)
      implements EntryAddedListener<String, String>,
          EntryUpdatedListener<String, String>,
          EntryRemovedListener<String, String>,
          EntryEvictedListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      String json = event.getValue();
      context.runOnContext(v -> view.entryChanged(json));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      entryAdded(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      String id = event.getKey();
      context.runOnContext(v -> view.entryRemoved(id));
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      entryRemoved(event);
    }
  }

  /** Hops membership events onto the watcher's context. */
  private final class MemberBridge implements MembershipListener {
    private final Context context;
    private final RegistryView view;

    MemberBridge(Context context, RegistryView view) {
      this.context = context;
      this.view = view;
    }

    @Override
    public void memberAdded(MembershipEvent event) {
      context.runOnContext(v -> view.reconcile());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      String memberId = event.getMember().getUuid().toString();
      context.runOnContext(v -> view.memberLeft(memberId));
      purgeEntriesOf(memberId);
    }
  }
}
