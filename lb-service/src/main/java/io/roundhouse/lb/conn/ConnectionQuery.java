package io.roundhouse.lb.conn;

import io.roundhouse.config.Settings;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A page of the connection list: filters (each optional), an order and a window. Built from the
 * query string by {@link #parse}; a bad value is an {@link IllegalArgumentException} that names the
 * parameter, answered 400.
 *
 * @param service {@code echo} or {@code ws}
 * @param backend a backend's instance id
 * @param frontend {@code tcp}, {@code http} or {@code udp}
 * @param kind what it carries
 * @param loop the owning event loop's thread name
 * @param minAge only connections at least this old
 * @param sort {@code age} (oldest first), {@code idle} (longest idle first) or {@code bytes} (most
 *     first)
 */
public record ConnectionQuery(
    String service,
    String backend,
    String frontend,
    Kind kind,
    String loop,
    Duration minAge,
    String sort,
    int offset,
    int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  public static final List<String> SORTS = List.of("age", "idle", "bytes");

  public ConnectionQuery {
    if (!SORTS.contains(sort)) {
      throw new IllegalArgumentException("sort must be one of " + SORTS + ", not '" + sort + "'");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, not " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + limit);
    }
  }

  /** Every connection, oldest first, first page. */
  public static ConnectionQuery all() {
    return new ConnectionQuery(
        null, null, null, null, null, Duration.ZERO, "age", 0, DEFAULT_LIMIT);
  }

  /** Reads the query string's parameters through {@code param} (null when absent). */
  public static ConnectionQuery parse(Function<String, String> param) {
    String minAge = param.apply("minAge");
    Duration age = minAge == null ? Duration.ZERO : Settings.parseDuration(minAge);
    if (age == null || age.isNegative()) {
      throw new IllegalArgumentException(
          "minAge must be a duration such as 500ms, 30s or 5m, not '" + minAge + "'");
    }
    String protocol = param.apply("protocol");
    return new ConnectionQuery(
        param.apply("service"),
        param.apply("backend"),
        param.apply("frontend"),
        protocol == null ? null : Kind.of(protocol),
        param.apply("loop"),
        age,
        orElse(param.apply("sort"), "age"),
        integer(param, "offset", 0),
        integer(param, "limit", DEFAULT_LIMIT));
  }

  private static int integer(Function<String, String> param, String name, int absent) {
    String raw = param.apply(name);
    if (raw == null) {
      return absent;
    }
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + raw + "'");
    }
  }

  private static String orElse(String value, String absent) {
    return value == null ? absent : value;
  }

  /** Whether {@code row} passes every filter. */
  Predicate<ConnectionRow> filter() {
    long minAgeNanos = minAge.toNanos();
    return row ->
        matches(service, row.service())
            && matches(backend, row.backend())
            && matches(frontend, row.frontend())
            && (kind == null || kind == row.kind())
            && matches(loop, row.loop())
            && row.ageNanos() >= minAgeNanos;
  }

  Comparator<ConnectionRow> order() {
    Comparator<ConnectionRow> oldestFirst = Comparator.comparingLong(ConnectionRow::id);
    return switch (sort) {
      case "idle" ->
          Comparator.comparingLong(ConnectionRow::idleNanos).reversed().thenComparing(oldestFirst);
      case "bytes" ->
          Comparator.comparingLong(ConnectionRow::bytes).reversed().thenComparing(oldestFirst);
      default -> oldestFirst;
    };
  }

  private static boolean matches(String wanted, String actual) {
    return wanted == null || wanted.equals(actual);
  }
}
