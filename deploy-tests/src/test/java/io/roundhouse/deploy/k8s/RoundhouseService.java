package io.roundhouse.deploy.k8s;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.echo.EchoConfig;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.ws.WsConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The three services as the manifests must run them: module, image, ports and their settings. */
public enum RoundhouseService {
  LB(
      "lb-service",
      "LB_ADMIN_PORT",
      List.of("LB_HOST", "LB_ADMIN_HOST"),
      List.of(
          new Listen("LB_TCP_PORT", LbConfig.DEFAULT_TCP_PORT, true),
          new Listen("LB_HTTP_PORT", LbConfig.DEFAULT_HTTP_PORT, true),
          new Listen("LB_ADMIN_PORT", LbConfig.DEFAULT_ADMIN_PORT, false))),
  ECHO(
      "echo-service",
      "ECHO_ADMIN_PORT",
      List.of("ECHO_HOST", "ECHO_ADMIN_HOST"),
      List.of(
          new Listen("ECHO_PORT", EchoConfig.DEFAULT_PORT, false),
          new Listen("ECHO_ADMIN_PORT", EchoConfig.DEFAULT_ADMIN_PORT, false))),
  WS(
      "ws-service",
      "WS_PORT",
      List.of("WS_HOST"),
      List.of(new Listen("WS_PORT", WsConfig.DEFAULT_PORT, false)));

  /** Every member's first Hazelcast port. */
  public static final Listen HAZELCAST =
      new Listen("CLUSTER_PORT", ClusterConfig.DEFAULT_PORT, false);

  /** The clustered event bus: random unless set. */
  public static final String EVENTBUS_PORT = "EVENTBUS_PORT";

  /**
   * A port the service listens on, set by {@code setting}.
   *
   * @param isPublic whether clients outside the cluster may reach it
   */
  public record Listen(String setting, int defaultPort, boolean isPublic) {}

  private final String module;
  private final String healthPortSetting;
  private final List<String> bindHostSettings;
  private final List<Listen> ports;

  RoundhouseService(
      String module, String healthPortSetting, List<String> bindHostSettings, List<Listen> ports) {
    this.module = module;
    this.healthPortSetting = healthPortSetting;
    this.bindHostSettings = bindHostSettings;
    this.ports = ports;
  }

  /** The Maven module, the Deployment's name and the image's name after {@code roundhouse/}. */
  public String module() {
    return module;
  }

  public String image() {
    return "roundhouse/" + module;
  }

  /** The setting naming the port that serves {@code /health/*} and {@code /metrics}. */
  public String healthPortSetting() {
    return healthPortSetting;
  }

  /** Bind addresses that must be a wildcard in a pod, or nothing outside the pod reaches them. */
  public List<String> bindHostSettings() {
    return bindHostSettings;
  }

  /** The service's own listeners, without Hazelcast and the event bus. */
  public List<Listen> ports() {
    return ports;
  }

  public Listen port(String setting) {
    return ports.stream().filter(p -> p.setting().equals(setting)).findFirst().orElseThrow();
  }

  /** The service whose image {@code image} is ({@code roundhouse/<module>[:tag]}). */
  public static Optional<RoundhouseService> ofImage(String image) {
    String repository = image == null ? "" : image.replaceFirst(":[^:/]*$", "");
    return Arrays.stream(values()).filter(s -> s.image().equals(repository)).findFirst();
  }
}
