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

class SettingsTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static Settings with(String key, String value) {
    return Settings.of(Map.of(key, value));
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

  // --- numbers and ports -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"abc", "7000.5", "0x1B58", "70000", "-1", "99999999999"})
  void shouldFailNamingSettingWhenPortIsNotAPort(String value) {
    Settings s = with("ECHO_PORT", value);

    assertThatThrownBy(() -> s.port("ECHO_PORT", 7000))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ECHO_PORT")
        .hasMessageContaining(value);
  }

  @ParameterizedTest
  @CsvSource({"0,0", "1,1", "65535,65535", "' 7001 ',7001"})
  void shouldAcceptPortWhenInRange(String value, int expected) {
    assertThat(with("ECHO_PORT", value).port("ECHO_PORT", 7000)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "257", "many"})
  void shouldFailNamingSettingWhenIntegerIsOutOfRange(String value) {
    Settings s = with("ECHO_INSTANCES", value);

    assertThatThrownBy(() -> s.integer("ECHO_INSTANCES", 1, 1, 256))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ECHO_INSTANCES")
        .hasMessageContaining("1 to 256");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void shouldUseDefaultWhenValueIsBlank(String value) {
    Settings s = with("ECHO_PORT", value);

    assertThat(s.port("ECHO_PORT", 7000)).isEqualTo(7000);
    assertThat(s.find("ECHO_PORT")).isEmpty();
  }

  // --- durations -------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    "500ms,500",
    "30s,30000",
    "5m,300000",
    "2h,7200000",
    "1500,1500",
    "0,0",
    "PT1S,1000",
    "pt1.5s,1500",
    "PT10M,600000",
    "' 250ms ',250"
  })
  void shouldParseDurationWhenGivenWithUnitOrIso(String value, long expectedMillis) {
    Duration d = with("ECHO_IDLE_TIMEOUT", value).duration("ECHO_IDLE_TIMEOUT", Duration.ZERO);

    assertThat(d).isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"abc", "5x", "1.5s", "-5s", "PT-1S", "P", "ms", "9999999999999999h", "10 s"})
  void shouldFailNamingSettingWhenDurationIsInvalid(String value) {
    Settings s = with("ECHO_IDLE_TIMEOUT", value);

    assertThatThrownBy(() -> s.duration("ECHO_IDLE_TIMEOUT", Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ECHO_IDLE_TIMEOUT")
        .hasMessageContaining(value);
  }

  @Test
  void shouldUseDefaultDurationWhenUnset() {
    assertThat(Settings.of(Map.of()).duration("X_TIMEOUT", Duration.ofSeconds(7)))
        .isEqualTo(Duration.ofSeconds(7));
  }

  // --- enums, booleans, lists, hosts, required -------------------------------------------------

  @ParameterizedTest
  @CsvSource({"local,LOCAL", "Static,STATIC", "KUBERNETES,KUBERNETES"})
  void shouldParseEnumIgnoringCaseWhenValueNamesAConstant(String value, JoinMode expected) {
    assertThat(with("CLUSTER_MODE", value).enumValue("CLUSTER_MODE", JoinMode.class, null))
        .isEqualTo(expected);
  }

  @Test
  void shouldFailNamingSettingAndChoicesWhenEnumValueIsUnknown() {
    Settings s = with("CLUSTER_MODE", "k8s");

    assertThatThrownBy(() -> s.enumValue("CLUSTER_MODE", JoinMode.class, JoinMode.LOCAL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_MODE")
        .hasMessageContaining("k8s")
        .hasMessageContaining("local, static, kubernetes");
  }

  @ParameterizedTest
  @CsvSource({"true,true", "YES,true", "1,true", "on,true", "false,false", "No,false", "0,false"})
  void shouldParseBooleanWhenValueIsAKnownSpelling(String value, boolean expected) {
    assertThat(with("FLAG", value).bool("FLAG", !expected)).isEqualTo(expected);
  }

  @Test
  void shouldFailNamingSettingWhenBooleanIsUnknown() {
    assertThatThrownBy(() -> with("FLAG", "maybe").bool("FLAG", false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FLAG")
        .hasMessageContaining("maybe");
  }

  @Test
  void shouldDropEmptyEntriesWhenListHasStrayCommas() {
    assertThat(with("CLUSTER_MEMBERS", " a, b,, c ,").list("CLUSTER_MEMBERS", List.of()))
        .containsExactly("a", "b", "c");
  }

  @Test
  void shouldFailNamingSettingWhenRequiredValueIsMissing() {
    assertThatThrownBy(() -> Settings.of(Map.of()).required("CLUSTER_K8S_SERVICE_DNS"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_K8S_SERVICE_DNS");
  }

  @Test
  void shouldFailNamingSettingWhenHostIsNotAHostName() {
    // Refused by its form: a test must not send DNS queries off this machine.
    Settings s = with("ECHO_HOST", "no_such host.invalid");

    assertThatThrownBy(() -> s.host("ECHO_HOST", "127.0.0.1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ECHO_HOST")
        .hasMessageContaining("no_such host.invalid");
  }

  @Test
  void shouldAcceptHostWhenItIsAnIpLiteral() {
    assertThat(with("ECHO_HOST", "0.0.0.0").host("ECHO_HOST", "127.0.0.1")).isEqualTo("0.0.0.0");
    assertThat(Settings.of(Map.of()).host("ECHO_HOST", "127.0.0.1")).isEqualTo("127.0.0.1");
  }
}
