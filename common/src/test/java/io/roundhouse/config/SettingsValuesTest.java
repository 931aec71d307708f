package io.roundhouse.config;

import static io.roundhouse.config.SettingsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.cluster.JoinMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Enums, booleans, lists, hosts and required settings: what parses, what is refused and named. */
class SettingsValuesTest {

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
  void shouldReadEmptyListWhenListThatMayBeEmptyIsSetBlank() {
    assertThat(with("LB_PUBLIC_DENY", " ").listOrEmpty("LB_PUBLIC_DENY", List.of("/metrics")))
        .isEmpty();
    assertThat(Settings.of(Map.of()).listOrEmpty("LB_PUBLIC_DENY", List.of("/metrics")))
        .containsExactly("/metrics");
    assertThat(with("LB_PUBLIC_DENY", "/a, /b").listOrEmpty("LB_PUBLIC_DENY", List.of()))
        .containsExactly("/a", "/b");
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
