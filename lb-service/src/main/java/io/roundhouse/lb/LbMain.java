package io.roundhouse.lb;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.config.Settings;
import io.roundhouse.runtime.Launcher;

/**
 * {@code java -jar lb-service-all.jar}: settings from the environment, see docs/CONFIGURATION.md.
 */
public final class LbMain {

  private LbMain() {}

  public static void main(String[] args) {
    Launcher.run(
        "lb-service",
        () -> {
          LbConfig config = LbConfig.from(Settings.fromEnvironment());
          return ClusterNode.start(
                  config.nodeId(), LbService.SERVICE, config.cluster(), config.metrics())
              .compose(node -> LbService.start(node, config));
        });
  }
}
