package io.roundhouse.lb.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {

  private static LimitsConfig config(int maxConnections, int rate, int burst) {
    return new LimitsConfig(
        0, 0, 10, Duration.ofSeconds(1), maxConnections, rate, burst, Duration.ofSeconds(1));
  }

  @Test
  void shouldRefuseAThirdConnectionFromOneAddressButNotFromAnotherWhenTheCapIsTwo() {
    ClientLimits limits = new ClientLimits(config(2, 0, 0));

    assertThat(limits.admitConnection("127.0.0.1")).isNull();
    assertThat(limits.admitConnection("127.0.0.1")).isNull();
    assertThat(limits.admitConnection("127.0.0.1")).isEqualTo(Rejection.CLIENT_CONNECTIONS);
    assertThat(limits.admitConnection("127.0.0.2")).isNull();

    limits.closed("127.0.0.1");

    assertThat(limits.admitConnection("127.0.0.1")).isNull();
  }

  /** Time stands still unless the test moves it. */
  private final AtomicLong now = new AtomicLong();

  @Test
  void shouldRefuseWhenTheBurstIsSpentAndAdmitAgainOnceATokenIsBack() {
    ClientLimits limits = new ClientLimits(config(0, 1, 3), now::get);

    assertThat(limits.admitRequest("127.0.0.1")).isNull();
    assertThat(limits.admitConnection("127.0.0.1")).isNull();
    assertThat(limits.admitRequest("127.0.0.1")).isNull();
    assertThat(limits.admitRequest("127.0.0.1")).isEqualTo(Rejection.CLIENT_RATE);
    assertThat(limits.admitConnection("127.0.0.1")).isEqualTo(Rejection.CLIENT_RATE);
    assertThat(limits.admitRequest("127.0.0.9")).as("another address").isNull();

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));

    assertThat(limits.admitRequest("127.0.0.1")).as("one token a second").isNull();
    assertThat(limits.admitRequest("127.0.0.1")).isEqualTo(Rejection.CLIENT_RATE);
  }

  @Test
  void shouldForgetAClientWhenItsLastConnectionClosesAndNoRateApplies() {
    ClientLimits limits = new ClientLimits(config(5, 0, 0));
    limits.admitConnection("127.0.0.1");
    limits.admitConnection("127.0.0.1");

    limits.closed("127.0.0.1");
    assertThat(limits.tracked()).isEqualTo(1);
    limits.closed("127.0.0.1");

    assertThat(limits.tracked()).isZero();
  }

  @Test
  void shouldRememberAClientWhoseBucketIsNotFullWhenItsConnectionsClose() {
    ClientLimits limits = new ClientLimits(config(0, 1, 2), now::get);
    limits.admitConnection("127.0.0.1");

    limits.closed("127.0.0.1");

    // A reconnect storm must not reset its bucket.
    assertThat(limits.tracked()).isEqualTo(1);
    limits.admitConnection("127.0.0.1");
    now.addAndGet(TimeUnit.SECONDS.toNanos(5));
    limits.closed("127.0.0.1");
    assertThat(limits.tracked()).as("forgotten once the bucket would be full").isZero();
  }

  @Test
  void shouldRecordNothingWhenNoClientLimitIsSet() {
    ClientLimits limits = new ClientLimits(config(0, 0, 0));

    assertThat(limits.enabled()).isFalse();
    assertThat(limits.admitConnection("127.0.0.1")).isNull();
    assertThat(limits.admitRequest("127.0.0.1")).isNull();
    assertThat(limits.tracked()).isZero();
  }
}
