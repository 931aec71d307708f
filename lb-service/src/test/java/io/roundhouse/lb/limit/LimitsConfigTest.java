package io.roundhouse.lb.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsConfigTest {

  @Test
  void shouldCapTheFrontendBelowTheOpenFilesLimitWhenLbMaxconnIsUnset() {
    LimitsConfig config = LimitsConfig.from(Settings.of(Map.of()));

    // Two descriptors per proxied connection, some kept back: under the process's limit.
    assertThat(config.maxConnections()).isPositive();
    assertThat(config.maxConnections()).isEqualTo(LimitsConfig.defaultMaxConnections());
    assertThat(config.backendMaxConnections()).isZero();
    assertThat(config.clientRate()).isZero();
  }

  @Test
  void shouldReadEveryLimitWhenSet() {
    LimitsConfig config =
        LimitsConfig.from(
            Settings.of(
                Map.of(
                    "LB_MAXCONN", "100",
                    "LB_BACKEND_MAXCONN", "10",
                    "LB_MAXQUEUE", "50",
                    "LB_QUEUE_TIMEOUT", "2s",
                    "LB_CLIENT_MAXCONN", "4",
                    "LB_CLIENT_RATE", "20",
                    "LB_RETRY_AFTER", "3s")));

    assertThat(config.maxConnections()).isEqualTo(100);
    assertThat(config.backendMaxConnections()).isEqualTo(10);
    assertThat(config.maxQueue()).isEqualTo(50);
    assertThat(config.queueTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.clientMaxConnections()).isEqualTo(4);
    assertThat(config.clientRate()).isEqualTo(20);
    assertThat(config.clientBurst()).as("defaults to one second's worth").isEqualTo(20);
    assertThat(config.retryAfter()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void shouldRefuseANegativeCapOrARateWithoutABurst() {
    assertThatThrownBy(() -> LimitsConfig.from(Settings.of(Map.of("LB_MAXCONN", "-1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LB_MAXCONN");
    assertThatThrownBy(
            () ->
                LimitsConfig.from(
                    Settings.of(Map.of("LB_CLIENT_RATE", "5", "LB_CLIENT_BURST", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LB_CLIENT_BURST");
  }
}
