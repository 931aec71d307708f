package io.roundhouse.lb.http;

import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * What the public HTTP port allows a client: how long it may take to send a request, how long it
 * may leave owed data unread, and which backend paths it may not reach. Zero turns a timeout off.
 *
 * @param headerTimeout a request's line and headers must arrive within this of its first byte (of
 *     the connection's opening, for the first request); then 408 and close
 * @param requestTimeout the whole request, body included, must arrive within this of its first
 *     byte; then 408 and close (or only the close, when the answer has begun)
 * @param clientWriteTimeout a client connection whose writes stay backed up this long (the client
 *     stopped reading) is closed: proxied responses and WebSocket tunnels alike
 * @param publicDeny path prefixes answered 404 by the balancer, never proxied; empty allows all
 */
public record EdgeConfig(
    Duration headerTimeout,
    Duration requestTimeout,
    Duration clientWriteTimeout,
    List<String> publicDeny) {

  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_CLIENT_WRITE_TIMEOUT = Duration.ofSeconds(30);

  /** The backends' operational endpoints: metrics and health are for the cluster, not the world. */
  public static final List<String> DEFAULT_PUBLIC_DENY = List.of("/metrics", "/health/");

  public EdgeConfig {
    Checks.nonNegative("LB_HEADER_TIMEOUT", headerTimeout);
    Checks.nonNegative("LB_REQUEST_TIMEOUT", requestTimeout);
    Checks.nonNegative("LB_CLIENT_WRITE_TIMEOUT", clientWriteTimeout);
    if (publicDeny == null) {
      throw new ConfigException("LB_PUBLIC_DENY must be set");
    }
    for (String prefix : publicDeny) {
      if (!prefix.startsWith("/")) {
        throw new ConfigException(
            "LB_PUBLIC_DENY entries must be paths starting with '/', got '" + prefix + "'");
      }
    }
    publicDeny = List.copyOf(publicDeny);
  }

  public static EdgeConfig from(Settings s) {
    return new EdgeConfig(
        s.duration("LB_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT),
        s.duration("LB_REQUEST_TIMEOUT", DEFAULT_REQUEST_TIMEOUT),
        s.duration("LB_CLIENT_WRITE_TIMEOUT", DEFAULT_CLIENT_WRITE_TIMEOUT),
        s.listOrEmpty("LB_PUBLIC_DENY", DEFAULT_PUBLIC_DENY));
  }
}
