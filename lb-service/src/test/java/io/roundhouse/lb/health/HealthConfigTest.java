package io.roundhouse.lb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthConfigTest {

  private static HealthConfig of(Map<String, String> env) {
    return HealthConfig.from(Settings.of(env));
  }

  @Test
  void shouldTakeTheDocumentedDefaultsWhenNothingIsSet() {
    HealthConfig config = of(Map.of());

    assertThat(config.checks()).isTrue();
    assertThat(config.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.rise()).isEqualTo(2);
    assertThat(config.fall()).isEqualTo(2);
    assertThat(config.tcpCheck()).isEqualTo(HealthConfig.TcpCheck.ECHO);
    assertThat(config.httpPath()).isEqualTo("/health/ready");
    assertThat(config.outlierConsecutive()).isEqualTo(5);
    assertThat(config.outlierEjection()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.outlierMaxEjection()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.slowStart()).isZero();
  }

  @Test
  void shouldReadEverySettingWhenSet() {
    HealthConfig config =
        of(
            Map.ofEntries(
                Map.entry("LB_HEALTH_CHECKS", "off"),
                Map.entry("LB_HEALTH_INTERVAL", "250ms"),
                Map.entry("LB_HEALTH_TIMEOUT", "100ms"),
                Map.entry("LB_HEALTH_RISE", "3"),
                Map.entry("LB_HEALTH_FALL", "1"),
                Map.entry("LB_HEALTH_TCP_CHECK", "connect"),
                Map.entry("LB_HEALTH_PATH", "/ready"),
                Map.entry("LB_OUTLIER_CONSECUTIVE", "0"),
                Map.entry("LB_OUTLIER_EJECTION", "2s"),
                Map.entry("LB_OUTLIER_MAX_EJECTION", "2s"),
                Map.entry("LB_SLOW_START", "30s")));

    assertThat(config.checks()).isFalse();
    assertThat(config.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.rise()).isEqualTo(3);
    assertThat(config.fall()).isEqualTo(1);
    assertThat(config.tcpCheck()).isEqualTo(HealthConfig.TcpCheck.CONNECT);
    assertThat(config.httpPath()).isEqualTo("/ready");
    assertThat(config.outlierConsecutive()).isZero();
    assertThat(config.slowStart()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldRejectAMaximumEjectionShorterThanTheBaseWhenBothAreSet() {
    assertThatThrownBy(
            () -> of(Map.of("LB_OUTLIER_EJECTION", "10s", "LB_OUTLIER_MAX_EJECTION", "5s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LB_OUTLIER_MAX_EJECTION");
  }

  @Test
  void shouldRejectZeroIntervalsAndCountsWhenSet() {
    assertThatThrownBy(() -> of(Map.of("LB_HEALTH_INTERVAL", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LB_HEALTH_INTERVAL");
    assertThatThrownBy(() -> of(Map.of("LB_HEALTH_TIMEOUT", "0ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LB_HEALTH_TIMEOUT");
    assertThatThrownBy(() -> of(Map.of("LB_HEALTH_RISE", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LB_HEALTH_RISE");
    assertThatThrownBy(() -> of(Map.of("LB_HEALTH_PATH", "health")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LB_HEALTH_PATH");
  }
}
