package io.roundhouse.config;

import java.time.Duration;

/** Argument checks for configuration records; failures name the setting. */
public final class Checks {

  private Checks() {}

  public static int port(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(name + " must be a port from 0 to 65535, got " + port);
    }
    return port;
  }

  public static int positive(String name, int value) {
    if (value <= 0) {
      throw new ConfigException(name + " must be positive, got " + value);
    }
    return value;
  }

  public static Duration nonNegative(String name, Duration value) {
    if (value == null || value.isNegative()) {
      throw new ConfigException(name + " must be a non-negative duration, got " + value);
    }
    return value;
  }

  public static Duration positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ConfigException(name + " must be a positive duration, got " + value);
    }
    return value;
  }

  public static String notBlank(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(name + " must not be empty");
    }
    return value;
  }
}
