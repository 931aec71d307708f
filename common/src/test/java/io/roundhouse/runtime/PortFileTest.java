package io.roundhouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortFileTest {

  @TempDir Path dir;

  @Test
  void shouldWriteEveryPortAsAPropertyWhenAServiceStarted() throws Exception {
    Path file = dir.resolve("run/lb-1.ports");

    PortFile.write(file, Map.of("tcp", 9000, "http", 8080, "admin", 40123));

    Properties read = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      read.load(in);
    }
    assertThat(read)
        .containsOnly(
            Map.entry("tcp", "9000"), Map.entry("http", "8080"), Map.entry("admin", "40123"));
  }

  @Test
  void shouldReplaceTheWholeFileAndLeaveNoTemporaryWhenWrittenAgain() throws Exception {
    Path file = dir.resolve("ws-1.ports");
    PortFile.write(file, Map.of("http", 1, "admin", 2));

    PortFile.write(file, Map.of("http", 3));

    assertThat(Files.readString(file)).isEqualTo("http=3\n");
    try (var entries = Files.list(dir)) {
      assertThat(entries).containsExactly(file);
    }
  }
}
