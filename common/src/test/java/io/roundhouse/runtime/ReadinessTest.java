package io.roundhouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Readiness readiness = new Readiness(running::get);

  @Test
  void shouldBeDownWhenNotYetRegistered() {
    assertThat(readiness.status().isOk()).isFalse();
    assertThat(readiness.status().getData().getString("reason")).contains("not registered");
  }

  @Test
  void shouldBeUpWhenRegisteredAndMemberRuns() {
    readiness.registered();

    assertThat(readiness.status().isOk()).isTrue();
  }

  @Test
  void shouldBeDownWhenClusterMemberStopped() {
    readiness.registered();
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
            });
    broken.registered();

    assertThat(broken.status().isOk()).isFalse();
  }

  @Test
  void shouldBeDownWhenStopBegan() {
    readiness.registered();
    readiness.stopping();

    assertThat(readiness.status().isOk()).isFalse();
    assertThat(readiness.status().getData().getString("reason")).isEqualTo("stopping");
  }
}
