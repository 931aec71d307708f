package io.roundhouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Readiness readiness =
      new Readiness(running::get, "not registered in the cluster yet");

  @Test
  void shouldBeDownWhenNotYetRegistered() {
    assertThat(readiness.status().isOk()).isFalse();
    assertThat(readiness.status().getData().getString("reason")).contains("not registered");
  }

  @Test
  void shouldBeUpWhenRegisteredAndMemberRuns() {
    readiness.serving();

    assertThat(readiness.status().isOk()).isTrue();
  }

  @Test
  void shouldBeDownWhenClusterMemberStopped() {
    readiness.serving();
    running.set(false);

    assertThat(readiness.status().isOk()).isFalse();
    assertThat(readiness.status().getData().getString("reason")).contains("cluster member");
  }

  @Test
  void shouldBeDownWhenMemberCheckThrows() {
    Readiness broken =
        new Readiness(
            () -> {
              throw new IllegalStateException("no instance");
            },
            "not serving yet");
    broken.serving();

    assertThat(broken.status().isOk()).isFalse();
  }

  @Test
  void shouldBeDownWhenStopBegan() {
    readiness.serving();
    readiness.stopping();

    assertThat(readiness.status().isOk()).isFalse();
    assertThat(readiness.status().getData().getString("reason")).isEqualTo("stopping");
  }
}
