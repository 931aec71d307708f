package io.roundhouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdsTest {

  @Test
  void shouldUseNodeIdWhenBothNodeIdAndPodNameAreSet() {
    Settings s = Settings.of(Map.of("NODE_ID", "echo-1", "POD_NAME", "echo-7d9f-abc"));

    assertThat(NodeIds.from(s, "echo")).isEqualTo("echo-1");
  }

  @Test
  void shouldUsePodNameWhenNodeIdIsUnset() {
    Settings s = Settings.of(Map.of("POD_NAME", "echo-7d9f-abc"));

    assertThat(NodeIds.from(s, "echo")).isEqualTo("echo-7d9f-abc");
  }

  @Test
  void shouldUseServiceAndPidWhenNeitherIsSet() {
    assertThat(NodeIds.from(Settings.of(Map.of("NODE_ID", " ")), "ws"))
        .isEqualTo("ws-" + ProcessHandle.current().pid());
  }
}
