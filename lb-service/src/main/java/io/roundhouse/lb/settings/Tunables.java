package io.roundhouse.lb.settings;

import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.balance.Strategies;
import io.roundhouse.lb.shed.ShedConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What may change at run time: the strategy, the per-backend cap, the queue timeout and the
 * rebalancing settings. Each takes effect for new connections; none closes one.
 *
 * @param strategy {@code LB_STRATEGY}
 * @param backendMaxConnections {@code LB_BACKEND_MAXCONN} (0: no cap; only a balancer started with
 *     a cap queues, so one started without stays uncapped)
 * @param queueTimeout {@code LB_QUEUE_TIMEOUT}
 * @param shed {@code LB_REBALANCE*} and {@code LB_SHED_TCP_IDLE}
 */
public record Tunables(
    Strategies strategy, int backendMaxConnections, Duration queueTimeout, ShedConfig shed) {

  /** The settings that may be changed, by name. */
  public static final List<String> KEYS = keys();

  private static List<String> keys() {
    List<String> keys =
        new ArrayList<>(List.of("LB_STRATEGY", "LB_BACKEND_MAXCONN", "LB_QUEUE_TIMEOUT"));
    keys.addAll(ShedConfig.KEYS);
    return List.copyOf(keys);
  }

  /** As the balancer started. */
  public static Tunables of(LbConfig config) {
    return new Tunables(
        config.strategy(),
        config.limits().backendMaxConnections(),
        config.limits().queueTimeout(),
        config.shed());
  }

  /**
   * {@code base} with {@code overrides} applied, validated as at start.
   *
   * @throws ConfigException naming an unknown setting or a bad value
   */
  public static Tunables with(Tunables base, Map<String, String> overrides) {
    TreeSet<String> unknown = new TreeSet<>(overrides.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "cannot be changed at run time: " + unknown + "; these can: " + KEYS);
    }
    Settings s = Settings.of(overrides);
    return new Tunables(
        s.enumValue("LB_STRATEGY", Strategies.class, base.strategy()),
        s.integer("LB_BACKEND_MAXCONN", base.backendMaxConnections(), 0, 10_000_000),
        s.duration("LB_QUEUE_TIMEOUT", base.queueTimeout()),
        ShedConfig.from(s, base.shed()));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("LB_STRATEGY", strategy.name().toLowerCase(Locale.ROOT))
        .put("LB_BACKEND_MAXCONN", String.valueOf(backendMaxConnections))
        .put("LB_QUEUE_TIMEOUT", queueTimeout.toMillis() + "ms")
        .put("LB_REBALANCE", String.valueOf(shed.rebalance()))
        .put("LB_REBALANCE_TOLERANCE", String.valueOf(shed.tolerancePercent()))
        .put("LB_REBALANCE_RATE", String.valueOf(shed.movesPerSecond()))
        .put("LB_REBALANCE_INTERVAL", shed.interval().toMillis() + "ms")
        .put("LB_REBALANCE_JITTER", shed.jitter().toMillis() + "ms")
        .put("LB_SHED_TCP_IDLE", shed.tcpIdle().toMillis() + "ms");
  }
}
