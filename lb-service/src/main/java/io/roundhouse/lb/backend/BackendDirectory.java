package io.roundhouse.lb.backend;

import io.roundhouse.lb.health.HealthConfig;
import io.roundhouse.registry.RegistryListener;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.NodeStats;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live backends, fed by registry pushes. Lists handed to the frontends are immutable snapshots
 * in a stable order (by id), replaced whole on every change, so any event loop can read them
 * without locks.
 */
public final class BackendDirectory implements RegistryListener {

  private static final Logger LOG = LoggerFactory.getLogger(BackendDirectory.class);

  /** Told when a backend joins or leaves, under the directory's lock. */
  public interface Changes {
    /** Nobody to tell. */
    Changes NONE = new Changes() {};

    default void added(Backend backend) {}

    default void removed(Backend backend) {}

    /** Tells this, then {@code next}. */
    default Changes andThen(Changes next) {
      Changes first = this;
      return new Changes() {
        @Override
        public void added(Backend backend) {
          first.added(backend);
          next.added(backend);
        }

        @Override
        public void removed(Backend backend) {
          first.removed(backend);
          next.removed(backend);
        }
      };
    }
  }

  private final Map<String, Backend> byId = new ConcurrentHashMap<>();
  private final Changes changes;
  private final HealthConfig health;
  private volatile Map<String, List<Backend>> byService = Map.of();

  public BackendDirectory() {
    this(Changes.NONE);
  }

  public BackendDirectory(Changes changes) {
    this(changes, HealthConfig.DEFAULT);
  }

  /**
   * @param health how the backends it lists are judged
   */
  public BackendDirectory(Changes changes, HealthConfig health) {
    this.changes = changes;
    this.health = health;
  }

  public HealthConfig healthConfig() {
    return health;
  }

  /** The live backends of a service, in a stable order. */
  public List<Backend> live(String service) {
    return byService.getOrDefault(service, List.of());
  }

  /** The live backend with this id, or null. */
  public Backend find(String id) {
    return byId.get(id);
  }

  /** Every live backend, ordered by service then id. */
  public List<Backend> all() {
    return byId.values().stream()
        .sorted(Comparator.comparing(Backend::service).thenComparing(Backend::id))
        .toList();
  }

  @Override
  public synchronized void instanceUp(ServiceInstance instance) {
    Backend existing = byId.get(instance.id());
    if (existing == null) {
      Backend added = new Backend(instance, health);
      byId.put(instance.id(), added);
      rebuild();
      changes.added(added);
      LOG.info(
          "Backend up: {} ({} at {}:{})",
          instance.id(),
          instance.service(),
          instance.host(),
          instance.port());
    } else {
      existing.update(instance);
    }
    rebuild();
  }

  @Override
  public synchronized void instanceDown(String id) {
    Backend removed = byId.remove(id);
    if (removed != null) {
      changes.removed(removed);
      LOG.info("Backend down: {}", id);
      rebuild();
    }
  }

  /** Records what a node reports about itself; ignored for nodes not (yet) registered. */
  public void report(NodeStats stats) {
    Backend backend = byId.get(stats.id());
    if (backend != null) {
      backend.report(stats);
    }
  }

  private void rebuild() {
    Map<String, List<Backend>> next = new ConcurrentHashMap<>();
    all().forEach(b -> next.computeIfAbsent(b.service(), s -> new java.util.ArrayList<>()).add(b));
    next.replaceAll((service, list) -> List.copyOf(list));
    byService = Map.copyOf(next);
  }
}
