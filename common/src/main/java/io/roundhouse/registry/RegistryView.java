package io.roundhouse.registry;

import io.roundhouse.config.ConfigException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watcher's picture of the registry, confined to one context. Pushed events keep it current; a
 * slow anti-entropy pass (and one after each membership change) repairs what a race between the
 * first snapshot and an event could leave behind.
 */
final class RegistryView {

  static final long RECONCILE_INTERVAL_MS = 15_000;
  private static final Logger LOG = LoggerFactory.getLogger(RegistryView.class);

  private final RegistryListener listener;
  private final Supplier<Set<String>> liveMembers;
  private final Supplier<Future<Map<String, String>>> snapshot;
  private final Map<String, ServiceInstance> known = new HashMap<>();
  private Context context;
  private long timerId = -1;
  private boolean stopped;

  RegistryView(
      RegistryListener listener,
      Supplier<Set<String>> liveMembers,
      Supplier<Future<Map<String, String>>> snapshot) {
    this.listener = listener;
    this.liveMembers = liveMembers;
    this.snapshot = snapshot;
  }

  Future<Void> start(Context context) {
    this.context = context;
    Future<Void> first = Future.future(p -> context.runOnContext(v -> reconcile().onComplete(p)));
    return first.onSuccess(
        v -> timerId = context.owner().setPeriodic(RECONCILE_INTERVAL_MS, id -> reconcile()));
  }

  void stop() {
    stopped = true;
    if (timerId >= 0 && context != null) {
      context.owner().cancelTimer(timerId);
    }
  }

  /**
   * A pushed entry was just written by its (live) member, so it is trusted even if this member has
   * not yet heard of the writer's membership; snapshots, which may hold a dead member's leftovers,
   * are filtered by membership in {@link #reconcile()}.
   */
  void entryChanged(String json) {
    ServiceInstance instance = parse(json);
    if (stopped || instance == null) {
      return;
    }
    up(instance);
  }

  private void up(ServiceInstance instance) {
    ServiceInstance previous = known.put(instance.id(), instance);
    if (!instance.equals(previous)) {
      listener.instanceUp(instance);
    }
  }

  void entryRemoved(String id) {
    if (!stopped && known.remove(id) != null) {
      listener.instanceDown(id);
    }
  }

  void memberLeft(String memberId) {
    List<String> gone =
        known.values().stream()
            .filter(i -> i.memberId().equals(memberId))
            .map(i -> i.id())
            .toList();
    gone.forEach(this::entryRemoved);
  }

  Future<Void> reconcile() {
    return snapshot
        .get()
        .onSuccess(
            entries -> {
              if (stopped) {
                return;
              }
              Set<String> members = liveMembers.get();
              Map<String, ServiceInstance> live = new HashMap<>();
              entries.values().stream()
                  .map(RegistryView::parse)
                  .filter(i -> i != null && members.contains(i.memberId()))
                  .forEach(i -> live.put(i.id(), i));
              List.copyOf(known.keySet()).stream()
                  .filter(id -> !live.containsKey(id))
                  .forEach(this::entryRemoved);
              live.values().forEach(this::up);
            })
        .onFailure(e -> LOG.warn("Registry snapshot failed: {}", e.toString()))
        .mapEmpty();
  }

  private static ServiceInstance parse(String json) {
    try {
      return ServiceInstance.fromJson(new JsonObject(json));
    } catch (DecodeException
        | IllegalArgumentException
        | ClassCastException
        | ConfigException e) { // a missing or blank field
      LOG.warn("Ignoring malformed registry entry {}: {}", json, e.toString());
      return null;
    }
  }
}
