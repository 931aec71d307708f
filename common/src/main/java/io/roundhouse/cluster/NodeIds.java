package io.roundhouse.cluster;

import io.roundhouse.config.Settings;

/** Chooses a node id: {@code NODE_ID}, else {@code POD_NAME}, else {@code <service>-<pid>}. */
public final class NodeIds {

  private NodeIds() {}

  public static String from(Settings settings, String service) {
    return settings
        .find("NODE_ID")
        .or(() -> settings.find("POD_NAME"))
        .orElse(service + "-" + ProcessHandle.current().pid());
  }
}
