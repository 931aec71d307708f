package io.roundhouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LoadConfigTest {

  private static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void shouldUseLaptopDefaultsWhenNothingIsGiven() {
    LoadConfig c = LoadConfig.from(new Properties());

    assertThat(c.users()).isEqualTo(30);
    assertThat(c.ramp()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.hold()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.messages()).isEqualTo(10);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.lbHttpPort()).isEqualTo(8080);
    assertThat(c.lbTcpPort()).isEqualTo(9000);
    assertThat(c.adminPort()).isEqualTo(8081);
    assertThat(c.wsPort()).isEqualTo(7201);
    assertThat(c.tolerance()).isEqualTo(0.10);
    assertThat(c.lbWsUrl()).isEqualTo("ws://127.0.0.1:8080");
    assertThat(c.directWsUrl()).isEqualTo("ws://127.0.0.1:7201");
    assertThat(c.adminUrl()).isEqualTo("http://127.0.0.1:8081");
  }

  @Test
  void shouldTakeFractionalSecondsWhenDurationsHaveThem() {
    LoadConfig c = LoadConfig.from(props("hold", "2.5", "interval", "0.25s", "ramp", "0"));

    assertThat(c.hold()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.ramp()).isZero();
    assertThat(c.messages()).as("as many as fit in the hold").isEqualTo(10);
  }

  @Test
  void shouldAimUdpAtTheTcpPortsNumberWhenNoUdpPortIsGiven() {
    assertThat(LoadConfig.from(new Properties()).lbUdpPort()).isEqualTo(9000);
    assertThat(LoadConfig.from(props("lbTcpPort", "9100")).lbUdpPort()).isEqualTo(9100);
    assertThat(LoadConfig.from(props("lbTcpPort", "9100", "lbUdpPort", "9200")).lbUdpPort())
        .isEqualTo(9200);
  }

  @Test
  void shouldKeepExplicitMessagesWhenGiven() {
    assertThat(LoadConfig.from(props("messages", "3")).messages()).isEqualTo(3);
  }

  @Test
  void shouldSendOneMessageWhenTheHoldIsShorterThanTheInterval() {
    assertThat(LoadConfig.from(props("hold", "0", "interval", "1")).messages()).isEqualTo(1);
  }

  @Test
  void shouldBracketIpv6HostsWhenBuildingUrls() {
    assertThat(LoadConfig.from(props("host", "::1")).lbHttpUrl()).isEqualTo("http://[::1]:8080");
  }

  @Test
  void shouldRejectValuesOutOfRangeWhenParsing() {
    assertThatThrownBy(() -> LoadConfig.from(props("users", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("users");
    assertThatThrownBy(() -> LoadConfig.from(props("users", "lots")))
        .hasMessageContaining("users must be a whole number");
    assertThatThrownBy(() -> LoadConfig.from(props("interval", "0")))
        .hasMessageContaining("interval");
    assertThatThrownBy(() -> LoadConfig.from(props("hold", "-1"))).hasMessageContaining("hold");
    assertThatThrownBy(() -> LoadConfig.from(props("tolerance", "1")))
        .hasMessageContaining("tolerance");
    assertThatThrownBy(() -> LoadConfig.from(props("adminPort", "70000")))
        .hasMessageContaining("adminPort");
  }

  @Test
  void shouldBoundTheRunWhenComputingMaxDuration() {
    LoadConfig c = LoadConfig.from(props("ramp", "5", "hold", "10", "timeout", "5"));

    assertThat(c.maxDuration()).isEqualTo(Duration.ofSeconds(5 + 10 + 20 + 30));
  }
}
