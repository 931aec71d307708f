package io.roundhouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterConfigTest {

  @Test
  void shouldUseLocalLoopbackDefaultsWhenNothingIsSet() {
    ClusterConfig c = ClusterConfig.from(Settings.of(Map.of()));

    assertThat(c.mode()).isEqualTo(JoinMode.LOCAL);
    assertThat(c.clusterName()).isEqualTo("roundhouse");
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.publicHost()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(5701);
    assertThat(c.portCount()).isEqualTo(20);
    assertThat(c.members()).containsExactly("127.0.0.1");
    assertThat(c.eventBusPort()).isZero();
  }

  @Test
  void shouldRequireMembersWhenModeIsStatic() {
    Settings s = Settings.of(Map.of("CLUSTER_MODE", "static"));

    assertThatThrownBy(() -> ClusterConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_MEMBERS")
        .hasMessageContaining("static");
  }

  @Test
  void shouldKeepMembersExactlyWhenModeIsStatic() {
    ClusterConfig c =
        ClusterConfig.from(
            Settings.of(
                Map.of(
                    "CLUSTER_MODE", "static",
                    "CLUSTER_HOST", "10.0.0.5",
                    "CLUSTER_MEMBERS", "10.0.0.5:5701, echo-2:5702,lb")));

    assertThat(c.mode()).isEqualTo(JoinMode.STATIC);
    assertThat(c.members()).containsExactly("10.0.0.5:5701", "echo-2:5702", "lb");
  }

  @Test
  void shouldRequireServiceDnsWhenModeIsKubernetes() {
    Settings s = Settings.of(Map.of("CLUSTER_MODE", "kubernetes", "POD_IP", "10.1.2.3"));

    assertThatThrownBy(() -> ClusterConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_K8S_SERVICE_DNS");
  }

  @Test
  void shouldBindPodIpWhenModeIsKubernetesAndHostIsUnset() {
    ClusterConfig c =
        ClusterConfig.from(
            Settings.of(
                Map.of(
                    "CLUSTER_MODE", "kubernetes",
                    "POD_IP", "10.1.2.3",
                    "CLUSTER_K8S_SERVICE_DNS", "roundhouse-hz.default.svc.cluster.local")));

    assertThat(c.host()).isEqualTo("10.1.2.3");
    assertThat(c.publicHost()).isEqualTo("10.1.2.3");
    assertThat(c.members()).isEmpty();
    assertThat(c.kubernetesServiceDns()).isEqualTo("roundhouse-hz.default.svc.cluster.local");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1:5701-5710", "echo-1:5701-5703", "127.0.0.1:1-2"})
  void shouldRejectMemberWhenItGivesAPortRange(String member) {
    Settings s = Settings.of(Map.of("CLUSTER_MODE", "static", "CLUSTER_MEMBERS", member));

    assertThatThrownBy(() -> ClusterConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_MEMBERS")
        .hasMessageContaining(member);
  }

  @Test
  void shouldRejectPortRangeWhenModeIsLocalToo() {
    assertThatThrownBy(
            () ->
                new ClusterConfig(
                    JoinMode.LOCAL,
                    "rh",
                    "127.0.0.1",
                    "127.0.0.1",
                    5701,
                    3,
                    List.of("127.0.0.1:5701-5703"),
                    null,
                    0))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_MEMBERS");
  }

  @Test
  void shouldRejectZeroClusterPortWhenGivenToTheRecord() {
    assertThatThrownBy(() -> ClusterConfig.local("rh", 0, 3))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_PORT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "abc"})
  void shouldFailNamingClusterPortWhenItIsNotAFixedPort(String value) {
    Settings s = Settings.of(Map.of("CLUSTER_PORT", value));

    assertThatThrownBy(() -> ClusterConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_PORT")
        .hasMessageContaining(value);
  }

  @Test
  void shouldRejectPortRangeWhenItRunsPastTheLastPort() {
    Settings s = Settings.of(Map.of("CLUSTER_PORT", "65530", "CLUSTER_PORT_COUNT", "10"));

    assertThatThrownBy(() -> ClusterConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_PORT_COUNT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1001", "-3"})
  void shouldFailNamingPortCountWhenOutOfRange(String value) {
    Settings s = Settings.of(Map.of("CLUSTER_PORT_COUNT", value));

    assertThatThrownBy(() -> ClusterConfig.from(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_PORT_COUNT");
  }

  @Test
  void shouldFailNamingModeWhenModeIsUnknown() {
    assertThatThrownBy(() -> ClusterConfig.from(Settings.of(Map.of("CLUSTER_MODE", "multicast"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_MODE")
        .hasMessageContaining("multicast");
  }

  @Test
  void shouldFailNamingEventBusPortWhenItIsNotAPort() {
    assertThatThrownBy(() -> ClusterConfig.from(Settings.of(Map.of("EVENTBUS_PORT", "-1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("EVENTBUS_PORT");
  }

  @Test
  void shouldAdvertisePublicHostWhenItDiffersFromBindHost() {
    ClusterConfig c =
        ClusterConfig.from(
            Settings.of(Map.of("CLUSTER_HOST", "0.0.0.0", "CLUSTER_PUBLIC_HOST", "192.0.2.7")));

    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.publicHost()).isEqualTo("192.0.2.7");
  }
}
