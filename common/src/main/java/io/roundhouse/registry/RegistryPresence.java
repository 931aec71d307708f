package io.roundhouse.registry;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's own registry entry, kept in the map while it serves. The cluster can lose it behind
 * the backend's back: a member paused past the heartbeat timeout is removed and its entries purged;
 * on its return it merges back with a new member UUID, and the merge drops its side's copy of the
 * map. So the entry is checked, and written again with the current member if missing or stale,
 * after a merge, after any membership change, and every refresh interval. Once withdrawn it is
 * never written again: every check and write runs in one queue, and the removal after them.
 */
final class RegistryPresence implements ServiceRegistry.Presence {

  /** NEW until first written; SERVING while kept; WITHDRAWN for good. */
  enum State {
    NEW,
    SERVING,
    WITHDRAWN
  }

  private static final Logger LOG = LoggerFactory.getLogger(RegistryPresence.class);

  private final Vertx vertx;
  private final Context context;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> entries;
  private final ServiceInstance announced;
  private final Duration refresh;
  private volatile State state = State.NEW;
  private Future<Void> queue = Future.succeededFuture();
  private UUID lifecycleListener;
  private UUID membershipListener;
  private long timer = -1;

  RegistryPresence(
      Vertx vertx,
      HazelcastInstance hazelcast,
      IMap<String, String> entries,
      ServiceInstance announced,
      Duration refresh) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.hazelcast = hazelcast;
    this.entries = entries;
    this.announced = announced;
    this.refresh = refresh;
  }

  /** Writes the entry, then starts watching for what could take it away. */
  Future<ServiceRegistry.Presence> start() {
    return enqueue(this::write)
        .compose(v -> vertx.executeBlocking(this::listen))
        .map(
            v -> {
              synchronized (this) {
                if (state != State.WITHDRAWN) {
                  timer = vertx.setPeriodic(refresh.toMillis(), id -> check("a periodic check"));
                }
              }
              return this;
            });
  }

  State state() {
    return state;
  }

  @Override
  public ServiceInstance instance() {
    return current();
  }

  @Override
  public Future<Void> withdraw() {
    synchronized (this) {
      if (state == State.WITHDRAWN) {
        return queue;
      }
      state = State.WITHDRAWN;
      vertx.cancelTimer(timer);
    }
    LOG.info("Deregistering {}", announced.id());
    return vertx.executeBlocking(this::unlisten).transform(ar -> enqueue(this::remove));
  }

  /** This instance as its member would write it now: the member UUID changes on a merge. */
  private ServiceInstance current() {
    return announced.withMemberId(hazelcast.getCluster().getLocalMember().getUuid().toString());
  }

  private synchronized Void listen() {
    if (state == State.WITHDRAWN) {
      return null;
    }
    lifecycleListener =
        hazelcast
            .getLifecycleService()
            .addLifecycleListener(
                event -> {
                  if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                    check("merged into another cluster");
                  }
                });
    membershipListener = hazelcast.getCluster().addMembershipListener(new MemberChanges());
    return null;
  }

  private synchronized Void unlisten() {
    if (lifecycleListener != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
      hazelcast.getCluster().removeMembershipListener(membershipListener);
    }
    return null;
  }

  /** Reads the entry and writes it again if it is not the one this backend would write now. */
  void check(String why) {
    enqueue(
        () -> {
          if (state != State.SERVING) {
            return Future.succeededFuture();
          }
          return Future.fromCompletionStage(entries.getAsync(announced.id()), context)
              .compose(
                  stored -> {
                    OwnEntry.Verdict verdict = OwnEntry.judge(stored, current());
                    if (state != State.SERVING || !verdict.needsWrite()) {
                      return Future.succeededFuture();
                    }
                    LOG.info(
                        "Registering {} again after {}: its entry was {}",
                        announced.id(),
                        why,
                        verdict);
                    return write();
                  });
        });
  }

  private Future<Void> write() {
    ServiceInstance now = current();
    return Future.fromCompletionStage(entries.setAsync(now.id(), now.toJson().encode()), context)
        .onSuccess(
            v -> {
              synchronized (this) {
                if (state == State.NEW) {
                  state = State.SERVING;
                }
              }
            });
  }

  private Future<Void> remove() {
    return Future.fromCompletionStage(entries.removeAsync(announced.id()), context).mapEmpty();
  }

  /** Runs {@code step} after every step queued before it, whatever their outcome. */
  private synchronized Future<Void> enqueue(Supplier<Future<Void>> step) {
    Future<Void> next = queue.transform(ar -> step.get());
    queue =
        next.recover(
            e -> {
              LOG.warn("Registry entry of {}: {}", announced.id(), e.toString());
              return Future.succeededFuture();
            });
    return next;
  }

  /** A member that joins or leaves may have held the entry, or be this member's new cluster. */
  private final class MemberChanges implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      check("a member joined");
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      check("a member left");
    }
  }
}
