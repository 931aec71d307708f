package io.roundhouse.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Flat key/value settings, read once per process: environment variables override the optional file
 * named by {@value #CONFIG_FILE} (JSON or YAML, same keys as the environment variables).
 *
 * <p>This is the only place that reads the process environment. Every typed getter fails with a
 * {@link ConfigException} that names the setting.
 */
public final class Settings {

  /** Host names (RFC 1123 labels), IPv4 literals and IPv6 literals, with or without brackets. */
  private static final Pattern HOST =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?"
              + "|\\[?[0-9a-f:.%a-z]*:[0-9a-f:.%a-z]*]?");

  /** Names an optional JSON or YAML file whose keys are setting names. */
  public static final String CONFIG_FILE = "ROUNDHOUSE_CONFIG";

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Settings from the given map only: for tests and embedding. */
  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  /** Settings from the environment, over the optional configuration file. */
  public static Settings fromEnvironment() {
    return layered(System.getenv());
  }

  static Settings layered(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    String file = env.get(CONFIG_FILE);
    if (file != null && !file.isBlank()) {
      merged.putAll(readFile(Path.of(file)));
    }
    merged.putAll(env);
    return new Settings(merged);
  }

  static Map<String, String> readFile(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new ConfigException(CONFIG_FILE + ": cannot read " + path + ": " + e.getMessage(), e);
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, Object> raw;
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        Object loaded = new Yaml().load(text);
        if (loaded != null && !(loaded instanceof Map)) {
          throw new ConfigException(CONFIG_FILE + ": " + path + " must hold a mapping of settings");
        }
        raw = loaded == null ? Map.of() : castMap(loaded);
      } else {
        raw = new JsonObject(text).getMap();
      }
    } catch (DecodeException | YAMLException e) {
      throw new ConfigException(CONFIG_FILE + ": " + path + " is not valid: " + e.getMessage(), e);
    }
    Map<String, String> out = new HashMap<>();
    raw.forEach(
        (k, v) -> {
          if (v instanceof List<?> list) {
            out.put(k, String.join(",", list.stream().map(String::valueOf).toList()));
          } else if (v != null) {
            out.put(k, String.valueOf(v));
          }
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  public Optional<String> find(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String string(String key, String defaultValue) {
    return find(key).orElse(defaultValue);
  }

  public String required(String key) {
    return find(key).orElseThrow(() -> new ConfigException(key + " is required but not set"));
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> raw = find(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int v = Integer.parseInt(raw.get());
      if (v < min || v > max) {
        throw invalid(key, raw.get(), "a whole number from " + min + " to " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw invalid(key, raw.get(), "a whole number from " + min + " to " + max);
    }
  }

  /** A TCP port; 0 means "pick a free one". */
  public int port(String key, int defaultValue) {
    return integer(key, defaultValue, 0, 65535);
  }

  public boolean bool(String key, boolean defaultValue) {
    Optional<String> raw = find(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw invalid(key, raw.get(), "true or false");
    };
  }

  /**
   * A duration as milliseconds ({@code 1500}), with a unit ({@code 30s}, {@code 5m}, {@code 250ms})
   * or ISO-8601 ({@code PT30S}).
   */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> raw = find(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Duration d = parseDuration(raw.get());
    if (d == null || d.isNegative()) {
      throw invalid(key, raw.get(), "a duration such as 500ms, 30s, 5m or PT30S");
    }
    return d;
  }

  /** A duration written as {@link #duration} reads it, or null if it is not one. */
  public static Duration parseDuration(String s) {
    String v = s.toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.ofMillis(Long.parseLong(v));
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      // ArithmeticException: a number that parses but overflows Duration (9999999999999999h).
      return null;
    }
  }

  /** A comma-separated list; empty entries are dropped. */
  public List<String> list(String key, List<String> defaultValue) {
    return find(key)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
        .orElse(defaultValue);
  }

  /**
   * A comma-separated list for which "set but empty" means something: a key set to a blank value
   * (or to an empty list in the file) is the empty list, not the default, as it is for {@link
   * #list}.
   */
  public List<String> listOrEmpty(String key, List<String> defaultValue) {
    String raw = values.get(key);
    return raw != null && raw.isBlank() ? List.of() : list(key, defaultValue);
  }

  /**
   * A host name or IP literal that resolves on this machine. A value that is not a host name at all
   * is refused before any lookup.
   */
  public String host(String key, String defaultValue) {
    String v = string(key, defaultValue);
    if (!HOST.matcher(v).matches()) {
      throw invalid(key, v, "a host name or IP address");
    }
    try {
      InetAddress.getByName(v);
      return v;
    } catch (UnknownHostException e) {
      throw invalid(key, v, "a host name or IP address that resolves");
    }
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    Optional<String> raw = find(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, raw.get().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      String allowed =
          String.join(
              ", ",
              Arrays.stream(type.getEnumConstants())
                  .map(c -> c.name().toLowerCase(Locale.ROOT))
                  .toList());
      throw invalid(key, raw.get(), "one of " + allowed);
    }
  }

  private static ConfigException invalid(String key, String value, String expected) {
    return new ConfigException(key + " must be " + expected + ", got '" + value + "'");
  }
}
