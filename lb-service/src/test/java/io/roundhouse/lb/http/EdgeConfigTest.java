package io.roundhouse.lb.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {

  @Test
  void shouldUseDefaultsWhenNothingIsSet() {
    EdgeConfig config = EdgeConfig.from(Settings.of(Map.of()));

    assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.clientWriteTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.publicDeny()).containsExactly("/metrics", "/health/");
  }

  @Test
  void shouldReadTimeoutsAndDeniedPathsWhenSet() {
    EdgeConfig config =
        EdgeConfig.from(
            Settings.of(
                Map.of(
                    "LB_HEADER_TIMEOUT", "500ms",
                    "LB_REQUEST_TIMEOUT", "0",
                    "LB_CLIENT_WRITE_TIMEOUT", "2s",
                    "LB_PUBLIC_DENY", "/admin, /internal/")));

    assertThat(config.headerTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.requestTimeout()).isZero();
    assertThat(config.clientWriteTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.publicDeny()).containsExactly("/admin", "/internal/");
  }

  @Test
  void shouldDenyNothingWhenPublicDenyIsSetEmpty() {
    assertThat(EdgeConfig.from(Settings.of(Map.of("LB_PUBLIC_DENY", ""))).publicDeny()).isEmpty();
  }

  @Test
  void shouldFailNamingSettingWhenADeniedPathIsNotAPath() {
    assertThatThrownBy(() -> EdgeConfig.from(Settings.of(Map.of("LB_PUBLIC_DENY", "metrics"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LB_PUBLIC_DENY")
        .hasMessageContaining("metrics");
  }
}
