package io.roundhouse.lb.settings;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.roundhouse.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-time settings of every balancer: the overrides of the start-up {@link Tunables} live in a
 * Hazelcast map, so all balancers, and one that starts later, run with the same; a change is
 * validated, stored, then announced on {@link #ADDRESS}, and each balancer re-reads the map and
 * applies it to new connections. Hazelcast calls block: they run on a worker.
 */
public final class LiveSettings {

  private static final Logger LOG = LoggerFactory.getLogger(LiveSettings.class);

  static final String MAP = "roundhouse-settings";

  /** Cluster-wide event bus address: "the overrides changed, read them". */
  public static final String ADDRESS = "roundhouse.settings";

  private final Vertx vertx;
  private final IMap<String, String> overrides;
  private final Tunables base;
  private final Consumer<Tunables> apply;
  private volatile Tunables current;
  private MessageConsumer<Object> changes;

  /**
   * @param base the settings the balancer started with
   * @param apply puts a new set in force (any thread)
   */
  public LiveSettings(
      Vertx vertx, HazelcastInstance hazelcast, Tunables base, Consumer<Tunables> apply) {
    this.vertx = vertx;
    this.overrides = hazelcast.getMap(MAP);
    this.base = base;
    this.apply = apply;
    this.current = base;
  }

  /** Listens for changes, then applies the overrides already stored. */
  public Future<Void> start() {
    changes = vertx.eventBus().consumer(ADDRESS).handler(m -> reload());
    return changes.completion().compose(v -> reload());
  }

  public Tunables current() {
    return current;
  }

  /** The stored overrides, by name. */
  public Future<Map<String, String>> overrides() {
    return vertx.executeBlocking(() -> new TreeMap<>(overrides), false);
  }

  private Future<Void> reload() {
    return overrides()
        .map(
            stored -> {
              try {
                Tunables next = Tunables.with(base, stored);
                if (!next.equals(current)) {
                  LOG.info("Settings changed at run time: {}", stored);
                }
                current = next;
                apply.accept(next);
              } catch (ConfigException e) {
                LOG.warn("Ignoring the stored settings {}: {}", stored, e.getMessage());
              }
              return null;
            });
  }

  /**
   * Validates {@code patch} over the stored overrides (a null value drops a key's override, back to
   * the start-up value), stores it and tells every balancer; fails with a {@link ConfigException}
   * naming a bad key or value, and then changes nothing.
   */
  public Future<Tunables> change(Map<String, String> patch) {
    return vertx
        .executeBlocking(
            () -> {
              Map<String, String> merged = new HashMap<>(overrides);
              patch.forEach(
                  (key, value) -> {
                    if (value == null) {
                      merged.remove(key);
                    } else {
                      merged.put(key, value);
                    }
                  });
              Tunables next = Tunables.with(base, merged);
              patch.forEach(
                  (key, value) -> {
                    if (value == null) {
                      overrides.remove(key);
                    } else {
                      overrides.put(key, value);
                    }
                  });
              return next;
            },
            false)
        .onSuccess(next -> vertx.eventBus().publish(ADDRESS, null));
  }

  public Future<Void> stop() {
    return changes == null ? Future.succeededFuture() : changes.unregister();
  }
}
