package io.roundhouse.cluster;

import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;

/**
 * How fast the cluster notices a silent member, and how fast it and the registry heal afterwards.
 *
 * @param heartbeatInterval how often members send heartbeats (whole seconds)
 * @param heartbeatTimeout a member silent this long is removed from the cluster (whole seconds)
 * @param mergeInterval how often a member looks for another cluster of the same name to merge with,
 *     after a split or after it was removed while paused (whole seconds)
 * @param registryRefresh how often a backend checks that its own registry entry is in the map, as
 *     written by its current member, and writes it again if not
 */
public record MembershipConfig(
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    Duration mergeInterval,
    Duration registryRefresh) {

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_MERGE_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REGISTRY_REFRESH = Duration.ofSeconds(5);

  public static final MembershipConfig DEFAULT =
      new MembershipConfig(
          DEFAULT_HEARTBEAT_INTERVAL,
          DEFAULT_HEARTBEAT_TIMEOUT,
          DEFAULT_MERGE_INTERVAL,
          DEFAULT_REGISTRY_REFRESH);

  public MembershipConfig {
    wholeSeconds("CLUSTER_HEARTBEAT_INTERVAL", heartbeatInterval);
    wholeSeconds("CLUSTER_HEARTBEAT_TIMEOUT", heartbeatTimeout);
    wholeSeconds("CLUSTER_MERGE_INTERVAL", mergeInterval);
    Checks.positive("REGISTRY_REFRESH_INTERVAL", registryRefresh);
    if (heartbeatTimeout.compareTo(heartbeatInterval.multipliedBy(3)) < 0) {
      throw new ConfigException(
          "CLUSTER_HEARTBEAT_TIMEOUT must be at least three CLUSTER_HEARTBEAT_INTERVALs, got "
              + heartbeatTimeout.toSeconds()
              + "s for an interval of "
              + heartbeatInterval.toSeconds()
              + "s");
    }
  }

  /** Hazelcast counts these in whole seconds. */
  private static void wholeSeconds(String name, Duration value) {
    Checks.positive(name, value);
    if (value.toMillis() % 1000 != 0) {
      throw new ConfigException(name + " must be whole seconds, got " + value.toMillis() + "ms");
    }
  }

  public static MembershipConfig from(Settings s) {
    return new MembershipConfig(
        s.duration("CLUSTER_HEARTBEAT_INTERVAL", DEFAULT_HEARTBEAT_INTERVAL),
        s.duration("CLUSTER_HEARTBEAT_TIMEOUT", DEFAULT_HEARTBEAT_TIMEOUT),
        s.duration("CLUSTER_MERGE_INTERVAL", DEFAULT_MERGE_INTERVAL),
        s.duration("REGISTRY_REFRESH_INTERVAL", DEFAULT_REGISTRY_REFRESH));
  }
}
