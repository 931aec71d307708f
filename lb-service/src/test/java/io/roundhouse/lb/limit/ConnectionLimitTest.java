package io.roundhouse.lb.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

  @Test
  void shouldRefuseWhenTheCapIsReachedAndAdmitAgainWhenAPlaceIsGivenBack() {
    ConnectionLimit limit = new ConnectionLimit(2);

    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isFalse();
    assertThat(limit.open()).isEqualTo(2);

    limit.release();

    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.open()).isEqualTo(2);
  }

  @Test
  void shouldAdmitEveryoneButStillCountWhenTheCapIsZero() {
    ConnectionLimit limit = new ConnectionLimit(0);

    for (int i = 0; i < 1000; i++) {
      assertThat(limit.tryAcquire()).isTrue();
    }
    assertThat(limit.open()).isEqualTo(1000);
  }
}
