package io.roundhouse.load.spread;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTableTest {

  @Test
  void shouldShowOneLinePerNodeAndTheVerdictWhenRendered() {
    Verdict v =
        Spread.even(
            "Spread of ws connections:",
            List.of(
                new NodeCount("ws-1", "ws", 12),
                new NodeCount("ws-2", "ws", 9),
                new NodeCount("ws-3", "ws", 9)),
            0.10);

    String[] lines = SpreadTable.render(v).split(System.lineSeparator());

    assertThat(lines).hasSize(6);
    assertThat(lines[0]).isEqualTo("Spread of ws connections:");
    assertThat(lines[1].split("\\s+"))
        .containsExactly("", "node", "service", "connections", "share", "fair", "share", "verdict");
    assertThat(lines[2].split("\\s+"))
        .containsExactly("", "ws-1", "ws", "12", "40.0%", "10.0", "HIGH", "by", "2.0", "(+20.0%)");
    assertThat(lines[3].split("\\s+"))
        .containsExactly("", "ws-2", "ws", "9", "30.0%", "10.0", "ok");
    assertThat(lines[5]).startsWith("  FAILED: uneven spread: ws-1 took 12 of 30 (40.0%)");
  }
}
