package io.roundhouse.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceInstanceTest {

  @Test
  void shouldRoundTripThroughJsonWhenEncodedAndDecoded() {
    ServiceInstance instance = new ServiceInstance("echo-1", "echo", "10.0.0.5", 7000, "m-1");

    ServiceInstance decoded = ServiceInstance.fromJson(new JsonObject(instance.toJson().encode()));

    assertThat(decoded).isEqualTo(instance);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536})
  void shouldRejectPortWhenItIsNotABoundPort(int port) {
    assertThatThrownBy(() -> new ServiceInstance("echo-1", "echo", "10.0.0.5", port, "m-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  @Test
  void shouldRejectEntryWhenFieldIsMissing() {
    JsonObject json = new ServiceInstance("echo-1", "echo", "h", 1, "m-1").toJson();
    json.remove("memberId");

    assertThatThrownBy(() -> ServiceInstance.fromJson(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("memberId");
  }
}
