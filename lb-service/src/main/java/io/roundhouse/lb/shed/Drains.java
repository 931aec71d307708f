package io.roundhouse.lb.shed;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.conn.ConnectionRegistry;
import io.roundhouse.lb.conn.Kind;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.registry.DrainNotice;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drains under way on this balancer: one per draining backend, and one for the balancer itself
 * when it stops. Runs on one context ({@link ShedVerticle}'s).
 */
final class Drains {

  private static final Logger LOG = LoggerFactory.getLogger(Drains.class);

  /** The key of this balancer's own drain. */
  static final String SELF = "balancer";

  private final Context context;
  private final BackendDirectory directory;
  private final ConnectionRegistry registry;
  private final Duration tcpIdle;
  private final ShedCounters counters;
  private final Map<String, Drain> active = new ConcurrentHashMap<>();

  Drains(
      Context context,
      BackendDirectory directory,
      ConnectionRegistry registry,
      Duration tcpIdle,
      ShedCounters counters) {
    this.context = context;
    this.directory = directory;
    this.registry = registry;
    this.tcpIdle = tcpIdle;
    this.counters = counters;
  }

  /** A backend drains (out of rotation, its connections shed until the notice's end) or resumes. */
  void notice(DrainNotice notice) {
    Backend backend = directory.find(notice.id());
    if (!notice.draining()) {
      if (backend != null) {
        backend.undrain();
      }
      Drain drain = active.remove(notice.id());
      if (drain != null) {
        drain.stop();
        LOG.info("Backend {} is back in rotation; its drain stopped", notice.id());
      }
      return;
    }
    if (backend == null) {
      return;
    }
    backend.drain(notice.untilMillis());
    Duration period =
        Duration.ofMillis(Math.max(0, notice.untilMillis() - System.currentTimeMillis()));
    List<LiveConnection> connections =
        registry.snapshot().stream()
            .filter(c -> notice.id().equals(c.backend()) && longLived(c))
            .toList();
    start(notice.id(), connections, period);
  }

  /** Drains every connection this balancer holds over {@code period}; completes when done. */
  Future<Void> self(Duration period) {
    List<LiveConnection> connections =
        registry.snapshot().stream().filter(Drains::longLived).toList();
    return start(SELF, connections, period).done();
  }

  /**
   * What a drain sheds: TCP splices and WebSocket tunnels. A UDP flow ends when idle; an HTTP
   * keep-alive connection is closed by the frontend's own shutdown, between requests.
   */
  private static boolean longLived(LiveConnection c) {
    return c.kind() == Kind.TCP || c.kind() == Kind.WEBSOCKET;
  }

  private Drain start(String what, List<LiveConnection> connections, Duration period) {
    Drain previous = active.remove(what);
    if (previous != null) {
      previous.stop();
    }
    Drain drain = new Drain(what, context, registry, connections, period, tcpIdle, counters);
    active.put(what, drain);
    LOG.info("Draining {}: {} connections over {} ms", what, connections.size(), period.toMillis());
    drain.done().onComplete(v -> LOG.info("Drain of {} done", what));
    drain.tick(System.nanoTime());
    return drain;
  }

  void tick() {
    long now = System.nanoTime();
    for (Drain drain : List.copyOf(active.values())) {
      drain.tick(now);
      if (drain.state() == Drain.State.DONE) {
        active.remove(drain.what(), drain);
      }
    }
  }

  /** Connections the drains have yet to close. */
  int remaining() {
    return active.values().stream().mapToInt(Drain::remaining).sum();
  }

  /**
   * Each drain under way (a backend's id, or "balancer") and the connections it has yet to close.
   */
  JsonObject remainingByDrain() {
    JsonObject out = new JsonObject();
    active.forEach((what, drain) -> out.put(what, drain.remaining()));
    return out;
  }
}
