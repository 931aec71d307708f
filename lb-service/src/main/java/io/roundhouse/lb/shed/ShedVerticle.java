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

  private final ShedConfig initial;
  private final BackendDirectory directory;
  private final ConnectionRegistry registry;
  private final HazelcastInstance hazelcast;
  private final MeterRegistry meters;
  private final List<String> services;
  private Drains drains;
  private Rebalancer rebalancer;
  private ShedCounters counters;
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
    this.initial = config;
    this.directory = directory;
    this.registry = registry;
    this.hazelcast = hazelcast;
    this.meters = meters;
    this.services = List.copyOf(services);
  }

  @Override
  public Future<?> start() {
    counters = new ShedCounters(meters, () -> rebalancer.config().tolerance(), () -> remaining());
    drains = new Drains(context, directory, registry, initial.tcpIdle(), counters);
    rebalancer =
        new Rebalancer(
            vertx,
            context,
            initial,
            directory,
            registry,
            new MoveBudget(vertx, hazelcast, () -> rebalancer.config().movesPerSecond()),
            counters,
            services);
    vertx.setPeriodic(DRAIN_TICK_MS, t -> drains.tick());
    look();
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

  /** A look at the spread, then the next one an interval later (the interval may change). */
  private void look() {
    rebalancer.tick();
    vertx.setTimer(rebalancer.config().interval().toMillis(), t -> look());
  }

  /** {@code /api/rebalance}: the settings, the spread and moves per service, the drains. */
  public JsonObject status() {
    ShedConfig config = rebalancer.config();
    return new JsonObject()
        .put("enabled", config.rebalance())
        .put("tolerancePercent", config.tolerancePercent())
        .put("movesPerSecond", config.movesPerSecond())
        .put("windowMovesMax", counters.windowMax())
        .put("services", counters.services())
        .put("draining", drains.remainingByDrain())
        .put("shed", counters.shed());
  }

  /** New rebalancing settings from the next look on; any thread. */
  public void retune(ShedConfig config) {
    context.runOnContext(v -> rebalancer.retune(config));
  }

  /** Connections the drains have yet to close; any thread. */
  private int remaining() {
    Drains d = drains;
    return d == null ? 0 : d.remaining();
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
