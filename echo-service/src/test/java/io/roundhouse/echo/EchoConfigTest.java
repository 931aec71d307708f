package io.roundhouse.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import io.roundhouse.metrics.MetricsConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EchoConfigTest {

  @Test
  void shouldUseDefaultsWhenNothingIsSet() {
    EchoConfig c = EchoConfig.from(Settings.of(Map.of()));

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.advertisedHost()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(7000);
    assertThat(c.instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.adminHost()).isEqualTo("127.0.0.1");
    assertThat(c.adminPort()).isEqualTo(7080);
    assertThat(c.nodeId()).isEqualTo("echo-" + ProcessHandle.current().pid());
    assertThat(c.udp().maxDatagram()).isEqualTo(65_507);
    assertThat(c.udp().peerIdle()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.udp().maxPeers()).isEqualTo(10_000);
    assertThat(c.cluster()).isEqualTo(ClusterConfig.from(Settings.of(Map.of())));
  }

  @Test
  void shouldReadEverySettingWhenSet() {
    EchoConfig c =
        EchoConfig.from(
            Settings.of(
                Map.of(
                    "NODE_ID", "echo-3",
                    "ECHO_HOST", "127.0.0.1",
                    "ECHO_PORT", "0",
                    "ECHO_INSTANCES", "3",
                    "ECHO_IDLE_TIMEOUT", "90s",
                    "ECHO_ADMIN_HOST", "0.0.0.0",
                    "ECHO_ADMIN_PORT", "0",
                    "CLUSTER_NAME", "prod")));

    assertThat(c.nodeId()).isEqualTo("echo-3");
    assertThat(c.port()).isZero();
    assertThat(c.instances()).isEqualTo(3);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.adminHost()).isEqualTo("0.0.0.0");
    assertThat(c.adminPort()).isZero();
    assertThat(c.cluster().clusterName()).isEqualTo("prod");
  }

  @Test
  void shouldReadUdpSettingsWhenSet() {
    EchoConfig c =
        EchoConfig.from(
            Settings.of(
                Map.of(
                    "ECHO_UDP_MAX_DATAGRAM", "1472",
                    "ECHO_UDP_PEER_IDLE", "5m",
                    "ECHO_UDP_MAX_PEERS", "500")));

    assertThat(c.udp()).isEqualTo(new UdpEchoConfig(1472, Duration.ofMinutes(5), 500));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::"})
  void shouldAdvertiseClusterPublicHostWhenBindingTheWildcard(String wildcard) {
    EchoConfig c =
        EchoConfig.from(
            Settings.of(Map.of("ECHO_HOST", wildcard, "CLUSTER_PUBLIC_HOST", "192.0.2.10")));

    assertThat(c.host()).isEqualTo(wildcard);
    assertThat(c.advertisedHost()).isEqualTo("192.0.2.10");
  }

  @Test
  void shouldAdvertiseExplicitHostWhenAdvertisedHostIsSet() {
    EchoConfig c =
        EchoConfig.from(
            Settings.of(Map.of("ECHO_HOST", "0.0.0.0", "ECHO_ADVERTISED_HOST", "echo-1.internal")));

    assertThat(c.advertisedHost()).isEqualTo("echo-1.internal");
  }

  @ParameterizedTest
  @CsvSource({
    "ECHO_PORT,70000",
    "ECHO_PORT,seven",
    "ECHO_INSTANCES,0",
    "ECHO_INSTANCES,257",
    "ECHO_IDLE_TIMEOUT,-1s",
    "ECHO_IDLE_TIMEOUT,soon",
    "ECHO_ADMIN_PORT,-1",
    "ECHO_HOST,no_such_host!",
    "ECHO_UDP_MAX_DATAGRAM,0",
    "ECHO_UDP_MAX_DATAGRAM,65508",
    "ECHO_UDP_MAX_DATAGRAM,big",
    "ECHO_UDP_PEER_IDLE,-5s",
    "ECHO_UDP_MAX_PEERS,0",
    "ECHO_UDP_MAX_PEERS,1000001",
    "CLUSTER_MODE,swarm"
  })
  void shouldFailNamingSettingWhenValueIsInvalid(String key, String value) {
    Settings s = Settings.of(Map.of(key, value));

    assertThatThrownBy(() -> EchoConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(value);
  }

  @Test
  void shouldRejectNegativeIdleTimeoutWhenBuiltDirectly() {
    ClusterConfig cluster = ClusterConfig.local("rh", 5701, 3);

    assertThatThrownBy(
            () ->
                new EchoConfig(
                    "echo-1",
                    "127.0.0.1",
                    "127.0.0.1",
                    0,
                    1,
                    Duration.ofSeconds(-1),
                    "127.0.0.1",
                    0,
                    Duration.ofSeconds(20),
                    UdpEchoConfig.DEFAULT,
                    MetricsConfig.DEFAULT,
                    cluster))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ECHO_IDLE_TIMEOUT");
  }

  @ParameterizedTest
  @CsvSource({
    "0,60,10,ECHO_UDP_MAX_DATAGRAM",
    "65508,60,10,ECHO_UDP_MAX_DATAGRAM",
    "512,0,10,ECHO_UDP_PEER_IDLE",
    "512,-1,10,ECHO_UDP_PEER_IDLE",
    "512,60,0,ECHO_UDP_MAX_PEERS",
    "512,60,1000001,ECHO_UDP_MAX_PEERS"
  })
  void shouldRejectUdpSettingWhenBuiltDirectlyOutOfRange(
      int maxDatagram, long idleSeconds, int maxPeers, String setting) {
    Duration peerIdle = Duration.ofSeconds(idleSeconds);

    assertThatThrownBy(() -> new UdpEchoConfig(maxDatagram, peerIdle, maxPeers))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(setting);
  }
}
