package io.roundhouse.lb.shed;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.conn.ConnectionRegistry;
import io.roundhouse.registry.DrainNotice;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Where drains and rebalancing run: one context, a tick for the drains every {@link #DRAIN_TICK_MS}
 * and a look at the spread every {@code LB_REBALANCE_INTERVAL}. Drain notices arrive on the event
 * bus ({@link DrainNotice#ADDRESS}) from backends at their SIGTERM and from any balancer's admin
 * API.
 */
public final class ShedVerticle extends VerticleBase {

  /** How often due connections of a drain are shed. */
  static final long DRAIN_TICK_MS = 100;

  private final ShedConfig config;
  private final BackendDirectory directory;
  private final ConnectionRegistry registry;
  private final HazelcastInstance hazelcast;
  private final MeterRegistry meters;
  private final List<String> services;
  private Drains drains;
  private MessageConsumer<JsonObject> notices;

  /**
   * @param services the services whose spread is watched
   */
  public ShedVerticle(
      ShedConfig config,
      BackendDirectory directory,
      ConnectionRegistry registry,
      HazelcastInstance hazelcast,
      MeterRegistry meters,
      List<String> services) {
    this.config = config;
    this.directory = directory;
    this.registry = registry;
    this.hazelcast = hazelcast;
    this.meters = meters;
    this.services = List.copyOf(services);
  }

  @Override
  public Future<?> start() {
    ShedCounters counters = new ShedCounters(meters, config.tolerance(), () -> remaining());
    drains = new Drains(context, directory, registry, config.tcpIdle(), counters);
    Rebalancer rebalancer =
        new Rebalancer(
            vertx,
            context,
            config,
            directory,
            registry,
            new MoveBudget(vertx, hazelcast, config.movesPerSecond()),
            counters,
            services);
    vertx.setPeriodic(DRAIN_TICK_MS, t -> drains.tick());
    vertx.setPeriodic(config.interval().toMillis(), t -> rebalancer.tick());
    notices =
        vertx
            .eventBus()
            .<JsonObject>consumer(DrainNotice.ADDRESS)
            .handler(
                m -> {
                  DrainNotice notice = DrainNotice.fromJson(m.body());
                  if (notice != null) {
                    drains.notice(notice);
                  }
                });
    return notices.completion();
  }

  /** Connections the drains have yet to close; any thread. */
  private int remaining() {
    Drains d = drains;
    return d == null ? 0 : d.remaining();
  }

  /** Connections a backend's drain has yet to close here; any thread. */
  public int remaining(String backendId) {
    Drains d = drains;
    return d == null ? 0 : d.remaining(backendId);
  }

  /**
   * Drains every connection of this balancer over {@code period} (its own stop); completes when
   * each is shed, or at the period's end. Any thread.
   */
  public Future<Void> drainSelf(Duration period) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> drains.self(period).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    return notices == null ? Future.succeededFuture() : notices.unregister();
  }
}
