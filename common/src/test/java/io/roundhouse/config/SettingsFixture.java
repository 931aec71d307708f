package io.roundhouse.config;

import java.util.Map;

/** Settings for the tests of one value. */
final class SettingsFixture {

  private SettingsFixture() {}

  /** Settings holding only {@code key}, set to {@code value}. */
  static Settings with(String key, String value) {
    return Settings.of(Map.of(key, value));
  }
}
