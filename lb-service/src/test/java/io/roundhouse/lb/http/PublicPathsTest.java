package io.roundhouse.lb.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicPathsTest {

  private static final PublicPaths DEFAULTS =
      new PublicPaths(
          EdgeConfig.DEFAULT_PUBLIC_DENY, new EdgeRejections(new SimpleMeterRegistry()));

  @ParameterizedTest
  @CsvSource({
    "/metrics,true",
    "/metrics/x,true",
    "/metricsfoo,true",
    "/health/live,true",
    "/health/,true",
    "/ws/../health/ready,true",
    "/%2E/metrics,true",
    "/Health/Live,true",
    "/health,false",
    "/healthz,false",
    "/info,false",
    "/ws/metrics,false",
    "/%2Fmetrics,false"
  })
  void shouldMatchNormalisedPrefixesWhenDeciding(String path, boolean denied) {
    assertThat(DEFAULTS.denied(path)).isEqualTo(denied);
  }

  @ParameterizedTest
  @CsvSource({"/metrics", "/health/live"})
  void shouldDenyNothingWhenListIsEmpty(String path) {
    PublicPaths open = new PublicPaths(List.of(), new EdgeRejections(new SimpleMeterRegistry()));

    assertThat(open.denied(path)).isFalse();
  }
}
