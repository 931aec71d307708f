package io.roundhouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.roundhouse.registry.HazelcastServiceRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HazelcastConfigFactoryTest {

  private static ClusterConfig staticConfig() {
    return new ClusterConfig(
        JoinMode.STATIC,
        "static-cluster",
        "10.0.0.5",
        "10.0.0.5",
        5801,
        4,
        List.of("10.0.0.5:5801", "10.0.0.6", "10.0.0.7:5900"),
        null,
        0);
  }

  private static ClusterConfig kubernetesConfig() {
    return new ClusterConfig(
        JoinMode.KUBERNETES,
        "k8s-cluster",
        "0.0.0.0",
        "10.1.2.3",
        5701,
        1,
        List.of(),
        "roundhouse-hz.rh.svc.cluster.local",
        0);
  }

  static Stream<ClusterConfig> everyMode() {
    return Stream.of(
        ClusterConfig.local("local-cluster", 5701, 20), staticConfig(), kubernetesConfig());
  }

  @ParameterizedTest
  @MethodSource("everyMode")
  void shouldTurnOffMulticastAutoDetectionCloudAndPhoneHomeWhenInAnyMode(ClusterConfig cluster) {
    Config config = HazelcastConfigFactory.create(cluster);
    JoinConfig join = config.getNetworkConfig().getJoin();

    assertThat(join.getMulticastConfig().isEnabled()).as("multicast").isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).as("auto-detection").isFalse();
    assertThat(join.getAwsConfig().isEnabled()).as("aws").isFalse();
    assertThat(join.getGcpConfig().isEnabled()).as("gcp").isFalse();
    assertThat(join.getAzureConfig().isEnabled()).as("azure").isFalse();
    assertThat(join.getEurekaConfig().isEnabled()).as("eureka").isFalse();
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getClusterName()).isEqualTo(cluster.clusterName());
  }

  @ParameterizedTest
  @MethodSource("everyMode")
  void shouldBindOnlyTheConfiguredInterfaceWhenInAnyMode(ClusterConfig cluster) {
    NetworkConfig network = HazelcastConfigFactory.create(cluster).getNetworkConfig();

    assertThat(network.getInterfaces().isEnabled()).isTrue();
    assertThat(network.getInterfaces().getInterfaces()).containsExactly(cluster.host());
    assertThat(network.getPort()).isEqualTo(cluster.port());
    assertThat(network.getPortCount()).isEqualTo(cluster.portCount());
    assertThat(HazelcastConfigFactory.create(cluster).getProperty("hazelcast.socket.bind.any"))
        .isEqualTo("false");
  }

  @Test
  void shouldListTcpIpMembersExactlyAsConfiguredWhenModeIsStatic() {
    ClusterConfig cluster = staticConfig();
    JoinConfig join = HazelcastConfigFactory.create(cluster).getNetworkConfig().getJoin();

    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("10.0.0.5:5801", "10.0.0.6", "10.0.0.7:5900");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
  }

  @Test
  void shouldListEveryAddressOfAMemberNameWhenModeIsStatic() {
    ClusterConfig cluster =
        new ClusterConfig(
            JoinMode.STATIC,
            "static-cluster",
            "127.0.0.1",
            "127.0.0.1",
            5801,
            4,
            List.of("localhost:5801", "[::1]:5802", "10.0.0.7"),
            null,
            0);
    JoinConfig join = HazelcastConfigFactory.create(cluster).getNetworkConfig().getJoin();

    assertThat(join.getTcpIpConfig().getMembers())
        .contains("127.0.0.1:5801", "[::1]:5802", "10.0.0.7")
        .doesNotContain("localhost:5801");
  }

  @Test
  void shouldListOnlyTheHostAsMemberWhenModeIsLocal() {
    ClusterConfig cluster = ClusterConfig.local("local-cluster", 5701, 20);
    JoinConfig join = HazelcastConfigFactory.create(cluster).getNetworkConfig().getJoin();

    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
  }

  @Test
  void shouldProbeTheWholePortRangeWhenMembersGiveNoPort() {
    // A member listed without a port is looked for on every port of the range, as
    // ClusterConfig.portCount promises; Hazelcast's own default probes only three.
    Config config = HazelcastConfigFactory.create(ClusterConfig.local("local-cluster", 5701, 20));

    assertThat(config.getProperty("hazelcast.tcp.join.port.try.count")).isEqualTo("20");
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
  }

  @Test
  void shouldSetServiceDnsAndDisableTcpIpWhenModeIsKubernetes() {
    ClusterConfig cluster = kubernetesConfig();
    JoinConfig join = HazelcastConfigFactory.create(cluster).getNetworkConfig().getJoin();

    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("roundhouse-hz.rh.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().getMembers()).isEmpty();
  }

  @Test
  void shouldAdvertisePublicAddressWhenItDiffersFromHost() {
    assertThat(
            HazelcastConfigFactory.create(kubernetesConfig()).getNetworkConfig().getPublicAddress())
        .isEqualTo("10.1.2.3");
    assertThat(HazelcastConfigFactory.create(staticConfig()).getNetworkConfig().getPublicAddress())
        .isNull();
  }

  @Test
  void shouldKeepVertxMapConfigurationsWhenBuildingTheConfig() {
    // vertx-hazelcast relies on its __vertx.* map settings from the default configuration.
    Config config = HazelcastConfigFactory.create(ClusterConfig.local("local-cluster", 5701, 20));

    assertThat(config.getMapConfigs().keySet()).anyMatch(name -> name.startsWith("__vertx."));
  }

  @Test
  void shouldTakeHeartbeatAndMergeTimingsFromTheClusterConfigWhenBuildingTheConfig() {
    MembershipConfig fast =
        new MembershipConfig(
            Duration.ofSeconds(2),
            Duration.ofSeconds(9),
            Duration.ofSeconds(3),
            Duration.ofSeconds(1));
    Config config =
        HazelcastConfigFactory.create(
            ClusterConfig.local("local-cluster", 5701, 20).withMembership(fast));

    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("2");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("9");
    assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("3");
    assertThat(config.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("3");
  }

  @ParameterizedTest
  @MethodSource("everyMode")
  void shouldUseTheDefaultTimingsWhenNoneAreConfigured(ClusterConfig cluster) {
    Config config = HazelcastConfigFactory.create(cluster);

    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("15");
    assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("5");
  }

  @ParameterizedTest
  @MethodSource("everyMode")
  void shouldDiscardTheJoiningSidesRegistryEntriesWhenClustersMerge(ClusterConfig cluster) {
    MapConfig registry =
        HazelcastConfigFactory.create(cluster).getMapConfig(HazelcastServiceRegistry.MAP_NAME);

    assertThat(registry.getMergePolicyConfig().getPolicy())
        .isEqualTo(DiscardMergePolicy.class.getName());
    assertThat(registry.getTotalBackupCount()).isEqualTo(3);
  }
}
