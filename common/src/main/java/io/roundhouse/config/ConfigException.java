package io.roundhouse.config;

/** A setting is missing or invalid. The message names the setting and what was expected. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
