package io.roundhouse.ws;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.config.Settings;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Launcher;

/**
 * {@code java -jar ws-service-all.jar}: settings from the environment, see docs/CONFIGURATION.md.
 */
public final class WsMain {

  private WsMain() {}

  public static void main(String[] args) {
    Launcher.run(
        "ws-service",
        () -> {
          WsConfig config = WsConfig.from(Settings.fromEnvironment());
          return ClusterNode.start(
                  config.nodeId(), ServiceInstance.WS, config.cluster(), config.metrics())
              .compose(node -> WsService.start(node, config));
        });
  }
}
