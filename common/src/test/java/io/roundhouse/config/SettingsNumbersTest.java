package io.roundhouse.config;

import static io.roundhouse.config.SettingsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Ports, bounded integers and durations: what parses, what is refused and named, the defaults. */
class SettingsNumbersTest {

  // --- numbers and ports -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"abc", "7000.5", "0x1B58", "70000", "-1", "99999999999"})
  void shouldFailNamingSettingWhenPortIsNotAPort(String value) {
    Settings s = with("ECHO_PORT", value);

    assertThatThrownBy(() -> s.port("ECHO_PORT", 7000))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ECHO_PORT")
        .hasMessageContaining(value);
  }

  @ParameterizedTest
  @CsvSource({"0,0", "1,1", "65535,65535", "' 7001 ',7001"})
  void shouldAcceptPortWhenInRange(String value, int expected) {
    assertThat(with("ECHO_PORT", value).port("ECHO_PORT", 7000)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "257", "many"})
  void shouldFailNamingSettingWhenIntegerIsOutOfRange(String value) {
    Settings s = with("ECHO_INSTANCES", value);

    assertThatThrownBy(() -> s.integer("ECHO_INSTANCES", 1, 1, 256))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ECHO_INSTANCES")
        .hasMessageContaining("1 to 256");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void shouldUseDefaultWhenValueIsBlank(String value) {
    Settings s = with("ECHO_PORT", value);

    assertThat(s.port("ECHO_PORT", 7000)).isEqualTo(7000);
    assertThat(s.find("ECHO_PORT")).isEmpty();
  }

  // --- durations -------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    "500ms,500",
    "30s,30000",
    "5m,300000",
    "2h,7200000",
    "1500,1500",
    "0,0",
    "PT1S,1000",
    "pt1.5s,1500",
    "PT10M,600000",
    "' 250ms ',250"
  })
  void shouldParseDurationWhenGivenWithUnitOrIso(String value, long expectedMillis) {
    Duration d = with("ECHO_IDLE_TIMEOUT", value).duration("ECHO_IDLE_TIMEOUT", Duration.ZERO);

    assertThat(d).isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"abc", "5x", "1.5s", "-5s", "PT-1S", "P", "ms", "9999999999999999h", "10 s"})
  void shouldFailNamingSettingWhenDurationIsInvalid(String value) {
    Settings s = with("ECHO_IDLE_TIMEOUT", value);

    assertThatThrownBy(() -> s.duration("ECHO_IDLE_TIMEOUT", Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ECHO_IDLE_TIMEOUT")
        .hasMessageContaining(value);
  }

  @Test
  void shouldUseDefaultDurationWhenUnset() {
    assertThat(Settings.of(Map.of()).duration("X_TIMEOUT", Duration.ofSeconds(7)))
        .isEqualTo(Duration.ofSeconds(7));
  }
}
