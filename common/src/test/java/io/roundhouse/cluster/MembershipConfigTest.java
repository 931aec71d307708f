package io.roundhouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MembershipConfigTest {

  @Test
  void shouldUseTheDocumentedDefaultsWhenNothingIsSet() {
    MembershipConfig m = ClusterConfig.from(Settings.of(Map.of())).membership();

    assertThat(m).isEqualTo(MembershipConfig.DEFAULT);
    assertThat(m.heartbeatInterval()).hasSeconds(1);
    assertThat(m.heartbeatTimeout()).hasSeconds(15);
    assertThat(m.mergeInterval()).hasSeconds(5);
    assertThat(m.registryRefresh()).hasSeconds(5);
  }

  @Test
  void shouldReadEverySettingWhenSet() {
    MembershipConfig m =
        MembershipConfig.from(
            Settings.of(
                Map.of(
                    "CLUSTER_HEARTBEAT_INTERVAL", "2s",
                    "CLUSTER_HEARTBEAT_TIMEOUT", "1m",
                    "CLUSTER_MERGE_INTERVAL", "10s",
                    "REGISTRY_REFRESH_INTERVAL", "750ms")));

    assertThat(m)
        .isEqualTo(
            new MembershipConfig(
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                Duration.ofSeconds(10),
                Duration.ofMillis(750)));
  }

  @ParameterizedTest
  @CsvSource({
    "CLUSTER_HEARTBEAT_INTERVAL, 1500ms",
    "CLUSTER_HEARTBEAT_TIMEOUT, 15500ms",
    "CLUSTER_MERGE_INTERVAL, 0",
    "REGISTRY_REFRESH_INTERVAL, 0"
  })
  void shouldFailNamingTheSettingWhenItIsNotWholePositiveSeconds(String key, String value) {
    Settings s = Settings.of(Map.of(key, value));

    assertThatThrownBy(() -> MembershipConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  @Test
  void shouldRejectATimeoutWhenItIsShorterThanThreeHeartbeats() {
    Settings s =
        Settings.of(Map.of("CLUSTER_HEARTBEAT_INTERVAL", "2s", "CLUSTER_HEARTBEAT_TIMEOUT", "5s"));

    assertThatThrownBy(() -> MembershipConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_HEARTBEAT_TIMEOUT");
  }
}
