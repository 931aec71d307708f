package io.roundhouse.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WsConfigTest {

  @Test
  void shouldUseDefaultsWhenNothingIsSet() {
    WsConfig config = WsConfig.from(Settings.of(Map.of()));

    assertThat(config.nodeId()).startsWith("ws-");
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.advertisedHost()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8000);
    assertThat(config.instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.maxFrameSize()).isEqualTo(65_536);
    assertThat(config.maxMessageSize()).isEqualTo(1 << 20);
    assertThat(config.cluster().clusterName()).isEqualTo("roundhouse");
  }

  @Test
  void shouldReadEverySettingWhenSet() {
    WsConfig config =
        WsConfig.from(
            Settings.of(
                Map.of(
                    "NODE_ID", "ws-7",
                    "WS_HOST", "127.0.0.2",
                    "WS_ADVERTISED_HOST", "ws.example",
                    "WS_PORT", "0",
                    "WS_INSTANCES", "3",
                    "WS_IDLE_TIMEOUT", "30s",
                    "WS_MAX_FRAME_SIZE", "1024",
                    "WS_MAX_MESSAGE_SIZE", "4096")));

    assertThat(config)
        .extracting(
            WsConfig::nodeId,
            WsConfig::host,
            WsConfig::advertisedHost,
            WsConfig::port,
            WsConfig::instances,
            WsConfig::idleTimeout,
            WsConfig::maxFrameSize,
            WsConfig::maxMessageSize)
        .containsExactly(
            "ws-7", "127.0.0.2", "ws.example", 0, 3, Duration.ofSeconds(30), 1024, 4096);
  }

  @Test
  void shouldAdvertiseClusterPublicHostWhenBoundToWildcard() {
    WsConfig config =
        WsConfig.from(Settings.of(Map.of("WS_HOST", "0.0.0.0", "CLUSTER_PUBLIC_HOST", "10.1.2.3")));

    assertThat(config.advertisedHost()).isEqualTo("10.1.2.3");
  }

  @Test
  void shouldNameTheSettingWhenValueIsInvalid() {
    assertThatThrownBy(() -> WsConfig.from(Settings.of(Map.of("WS_PORT", "70000"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("WS_PORT");
    assertThatThrownBy(() -> WsConfig.from(Settings.of(Map.of("WS_INSTANCES", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("WS_INSTANCES");
    assertThatThrownBy(() -> WsConfig.from(Settings.of(Map.of("WS_IDLE_TIMEOUT", "soon"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("WS_IDLE_TIMEOUT");
  }

  @Test
  void shouldRejectFrameLargerThanMessageWhenBothAreSet() {
    Settings settings =
        Settings.of(Map.of("WS_MAX_FRAME_SIZE", "8192", "WS_MAX_MESSAGE_SIZE", "4096"));

    assertThatThrownBy(() -> WsConfig.from(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("WS_MAX_FRAME_SIZE")
        .hasMessageContaining("WS_MAX_MESSAGE_SIZE");
  }
}
