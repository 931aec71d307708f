package io.roundhouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.cluster.JoinMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Where settings come from: the environment, over a JSON or YAML file named by the environment. */
class SettingsSourcesTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  // --- layering: environment over file ---------------------------------------------------------

  @Test
  void shouldPreferEnvironmentWhenJsonFileSetsTheSameKey() throws IOException {
    Path file = write("rh.json", "{\"ECHO_PORT\": 7001, \"CLUSTER_NAME\": \"from-file\"}");

    Settings s =
        Settings.layered(Map.of(Settings.CONFIG_FILE, file.toString(), "ECHO_PORT", "7002"));

    assertThat(s.port("ECHO_PORT", 1)).isEqualTo(7002);
    assertThat(s.string("CLUSTER_NAME", "default")).isEqualTo("from-file");
  }

  @Test
  void shouldPreferEnvironmentWhenYamlFileSetsTheSameKey() throws IOException {
    Path file = write("rh.yaml", "ECHO_PORT: 7001\nCLUSTER_NAME: from-file\n");

    Settings s =
        Settings.layered(Map.of(Settings.CONFIG_FILE, file.toString(), "CLUSTER_NAME", "from-env"));

    assertThat(s.string("CLUSTER_NAME", "default")).isEqualTo("from-env");
    assertThat(s.port("ECHO_PORT", 1)).isEqualTo(7001);
  }

  @Test
  void shouldUseOnlyEnvironmentWhenNoConfigFileIsNamed() {
    Settings s = Settings.layered(Map.of("ECHO_PORT", "7003"));

    assertThat(s.port("ECHO_PORT", 1)).isEqualTo(7003);
    assertThat(s.find("CLUSTER_NAME")).isEmpty();
  }

  // --- file formats ----------------------------------------------------------------------------

  @Test
  void shouldReadTypedValuesWhenFileIsJson() throws IOException {
    Path file =
        write(
            "settings.json",
            """
            {
              "CLUSTER_MODE": "static",
              "CLUSTER_PORT": 5801,
              "CLUSTER_MEMBERS": ["10.0.0.1:5801", "10.0.0.2"],
              "ECHO_IDLE_TIMEOUT": "30s",
              "METRICS": true,
              "NOTHING": null
            }
            """);

    Settings s = Settings.layered(Map.of(Settings.CONFIG_FILE, file.toString()));

    assertThat(s.enumValue("CLUSTER_MODE", JoinMode.class, JoinMode.LOCAL))
        .isEqualTo(JoinMode.STATIC);
    assertThat(s.integer("CLUSTER_PORT", 1, 1, 65535)).isEqualTo(5801);
    assertThat(s.list("CLUSTER_MEMBERS", List.of())).containsExactly("10.0.0.1:5801", "10.0.0.2");
    assertThat(s.duration("ECHO_IDLE_TIMEOUT", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.bool("METRICS", false)).isTrue();
    assertThat(s.find("NOTHING")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"settings.yaml", "settings.yml", "SETTINGS.YAML"})
  void shouldReadTypedValuesWhenFileIsYaml(String name) throws IOException {
    Path file =
        write(
            name,
            """
            # a comment
            CLUSTER_MODE: kubernetes
            CLUSTER_PORT: 5801
            CLUSTER_MEMBERS:
              - 10.0.0.1:5801
              - 10.0.0.2
            ECHO_IDLE_TIMEOUT: 5m
            METRICS: false
            """);

    Settings s = Settings.layered(Map.of(Settings.CONFIG_FILE, file.toString()));

    assertThat(s.enumValue("CLUSTER_MODE", JoinMode.class, JoinMode.LOCAL))
        .isEqualTo(JoinMode.KUBERNETES);
    assertThat(s.integer("CLUSTER_PORT", 1, 1, 65535)).isEqualTo(5801);
    assertThat(s.list("CLUSTER_MEMBERS", List.of())).containsExactly("10.0.0.1:5801", "10.0.0.2");
    assertThat(s.duration("ECHO_IDLE_TIMEOUT", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.bool("METRICS", true)).isFalse();
  }

  @Test
  void shouldAcceptEmptyYamlFileWhenItHoldsNoSettings() throws IOException {
    Path file = write("empty.yaml", "# nothing here\n");

    Settings s = Settings.layered(Map.of(Settings.CONFIG_FILE, file.toString()));

    assertThat(s.port("ECHO_PORT", 7000)).isEqualTo(7000);
  }

  @Test
  void shouldFailNamingConfigFileWhenFileIsMissing() {
    Path missing = dir.resolve("missing.json");

    assertThatThrownBy(() -> Settings.layered(Map.of(Settings.CONFIG_FILE, missing.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Settings.CONFIG_FILE)
        .hasMessageContaining(missing.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bad.json|{\"ECHO_PORT\": ",
        "array.json|[1, 2, 3]",
        "bad.yaml|ECHO_PORT: [1, 2",
        "list.yaml|- ECHO_PORT\\n- 7000",
        "scalar.yml|just a string"
      })
  void shouldFailNamingConfigFileWhenFileIsNotAMappingOfSettings(String name, String text)
      throws IOException {
    Path file = write(name, text.replace("\\n", "\n"));

    assertThatThrownBy(() -> Settings.layered(Map.of(Settings.CONFIG_FILE, file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Settings.CONFIG_FILE)
        .hasMessageContaining(file.toString());
  }
}
