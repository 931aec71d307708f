package io.roundhouse.deploy;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.echo.EchoConfig;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.ws.WsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three services as the container files must know them, from the code: the module (and compose
 * service) name, the ports they listen on by default, the settings naming their bind addresses, and
 * where their health and metrics are served.
 *
 * @param module the Maven module, also the compose service and image name
 * @param nodePrefix the node id prefix the service uses ({@code echo}, {@code ws}, {@code lb})
 * @param ports every port it listens on by default, Hazelcast's included
 * @param bindHosts the settings that must be {@code 0.0.0.0} in a container
 * @param healthPortSetting the setting naming the port that serves {@code /health/ready}
 * @param healthPort that port's default
 * @param metricsPort the default port that serves {@code /metrics}
 */
record ContainerServices(
    String module,
    String nodePrefix,
    Set<Integer> ports,
    List<String> bindHosts,
    String healthPortSetting,
    int healthPort,
    int metricsPort) {

  static final ContainerServices ECHO =
      new ContainerServices(
          "echo-service",
          "echo",
          Set.of(
              EchoConfig.DEFAULT_PORT, EchoConfig.DEFAULT_ADMIN_PORT, ClusterConfig.DEFAULT_PORT),
          List.of("ECHO_HOST"),
          "ECHO_ADMIN_PORT",
          EchoConfig.DEFAULT_ADMIN_PORT,
          EchoConfig.DEFAULT_ADMIN_PORT);

  static final ContainerServices WS =
      new ContainerServices(
          "ws-service",
          "ws",
          Set.of(WsConfig.DEFAULT_PORT, ClusterConfig.DEFAULT_PORT),
          List.of("WS_HOST"),
          "WS_PORT",
          WsConfig.DEFAULT_PORT,
          WsConfig.DEFAULT_PORT);

  static final ContainerServices LB =
      new ContainerServices(
          "lb-service",
          "lb",
          Set.of(
              LbConfig.DEFAULT_TCP_PORT,
              LbConfig.DEFAULT_HTTP_PORT,
              LbConfig.DEFAULT_ADMIN_PORT,
              ClusterConfig.DEFAULT_PORT),
          List.of("LB_HOST", "LB_ADMIN_HOST"),
          "LB_ADMIN_PORT",
          LbConfig.DEFAULT_ADMIN_PORT,
          LbConfig.DEFAULT_ADMIN_PORT);

  static final List<ContainerServices> ALL = List.of(ECHO, WS, LB);

  static final Map<String, ContainerServices> BY_MODULE =
      Map.of(ECHO.module, ECHO, WS.module, WS, LB.module, LB);

  /** The Dockerfile of this service. */
  Path dockerfile() {
    return RepoRoot.path().resolve(module).resolve("Dockerfile");
  }

  /** The shaded jar the module builds, relative to the module: {@code target/<m>-<v>-all.jar}. */
  String jar() {
    return "target/" + module + "-" + projectVersion() + "-all.jar";
  }

  /** The image tag: the project version without {@code -SNAPSHOT}. */
  static String imageTag() {
    return projectVersion().replace("-SNAPSHOT", "");
  }

  private static final Pattern PARENT_VERSION =
      Pattern.compile("<artifactId>roundhouse-parent</artifactId>\\s*<version>([^<]+)</version>");

  /** The version in the root pom.xml. */
  static String projectVersion() {
    Matcher m = PARENT_VERSION.matcher(read(RepoRoot.path().resolve("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("no roundhouse-parent version in pom.xml");
    }
    return m.group(1).trim();
  }

  private static final Pattern HAZELCAST_ARGS =
      Pattern.compile("<hazelcast\\.jvm\\.args>([^<]+)</hazelcast\\.jvm\\.args>");

  /** The JVM flags Hazelcast wants, as the root pom.xml gives them to the tests. */
  static List<String> hazelcastJvmArgs() {
    Matcher m = HAZELCAST_ARGS.matcher(read(RepoRoot.path().resolve("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("no hazelcast.jvm.args in pom.xml");
    }
    return List.of(m.group(1).trim().split("\\s+"));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
