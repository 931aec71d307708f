package io.roundhouse.registry;

import io.roundhouse.config.ConfigException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watcher's picture of the registry, confined to one context. Pushed events keep it current; a
 * slow anti-entropy pass (and one after each membership change and merge) repairs what a missed
 * event could leave behind, as {@link Reconciliation} decides.
 */
final class RegistryView {

  static final long RECONCILE_INTERVAL_MS = 15_000;
  private static final Logger LOG = LoggerFactory.getLogger(RegistryView.class);

  private final RegistryListener listener;
  private final Supplier<Set<String>> liveMembers;
  private final Supplier<Future<Map<String, String>>> snapshot;
  private final Map<String, ServiceInstance> known = new HashMap<>();

  /** One set per pass under way: the ids pushed since its snapshot was asked for. */
  private final List<Set<String>> passes = new ArrayList<>();

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
    pushed(instance.id());
    up(instance);
  }

  private void pushed(String id) {
    passes.forEach(p -> p.add(id));
  }

  private void up(ServiceInstance instance) {
    ServiceInstance previous = known.put(instance.id(), instance);
    if (!instance.equals(previous)) {
      listener.instanceUp(instance);
    }
  }

  void entryRemoved(String id) {
    if (stopped) {
      return;
    }
    pushed(id);
    down(id);
  }

  private void down(String id) {
    if (known.remove(id) != null) {
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
    Set<String> pushedSince = new HashSet<>();
    passes.add(pushedSince);
    return snapshot
        .get()
        .onComplete(ar -> passes.removeIf(p -> p == pushedSince))
        .onSuccess(
            entries -> {
              if (stopped) {
                return;
              }
              List<ServiceInstance> parsed =
                  entries.values().stream()
                      .map(RegistryView::parse)
                      .filter(i -> i != null)
                      .toList();
              Reconciliation pass =
                  Reconciliation.of(known, parsed, liveMembers.get(), pushedSince);
              pass.downs().forEach(this::down);
              pass.ups().forEach(this::up);
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
