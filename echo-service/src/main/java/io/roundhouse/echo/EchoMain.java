package io.roundhouse.echo;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.config.Settings;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Launcher;

/**
 * {@code java -jar echo-service-all.jar}: settings from the environment, see docs/CONFIGURATION.md.
 */
public final class EchoMain {

  private EchoMain() {}

  public static void main(String[] args) {
    Launcher.run(
        "echo-service",
        () -> {
          EchoConfig config = EchoConfig.from(Settings.fromEnvironment());
          return ClusterNode.start(
                  config.nodeId(), ServiceInstance.ECHO, config.cluster(), config.metrics())
              .compose(node -> EchoService.start(node, config));
        });
  }
}
