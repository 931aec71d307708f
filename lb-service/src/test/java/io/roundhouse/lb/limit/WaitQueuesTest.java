package io.roundhouse.lb.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WaitQueuesTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().timeout(10, TimeUnit.SECONDS).await();
  }

  private static Rejection rejectionOf(Future<Void> waiter) {
    Throwable failure =
        waiter
            .map(v -> (Throwable) null)
            .recover(Future::succeededFuture)
            .timeout(10, TimeUnit.SECONDS)
            .await();
    assertThat(failure).isInstanceOf(LimitExceededException.class);
    return ((LimitExceededException) failure).rejection();
  }

  @Test
  void shouldWakeWaitersInArrivalOrderWhenSlotsFree() {
    WaitQueues queues = new WaitQueues(vertx, 10);
    Future<Void> first = queues.await("ws", LONG);
    Future<Void> second = queues.await("ws", LONG);
    assertThat(queues.length("ws")).isEqualTo(2);

    queues.freed("ws");
    first.timeout(10, TimeUnit.SECONDS).await();

    assertThat(second.isComplete()).as("the second still waits").isFalse();
    assertThat(queues.length("ws")).isEqualTo(1);
    queues.freed("ws");
    second.timeout(10, TimeUnit.SECONDS).await();
    assertThat(queues.length("ws")).isZero();
    assertThat(queues.peak("ws")).isEqualTo(2);
  }

  @Test
  void shouldRefuseAtOnceWhenTheQueueIsFull() {
    WaitQueues queues = new WaitQueues(vertx, 1);
    queues.await("echo", LONG);

    assertThat(rejectionOf(queues.await("echo", LONG))).isEqualTo(Rejection.QUEUE_FULL);
    assertThat(queues.length("echo")).isEqualTo(1);
  }

  @Test
  void shouldFailAndLeaveTheQueueWhenTheWaitTimesOut() {
    WaitQueues queues = new WaitQueues(vertx, 10);

    Future<Void> waiter = queues.await("echo", Duration.ofMillis(50));

    assertThat(rejectionOf(waiter)).isEqualTo(Rejection.QUEUE_TIMEOUT);
    assertThat(queues.length("echo")).isZero();
  }

  @Test
  void shouldKeepServicesApartWhenASlotFrees() {
    WaitQueues queues = new WaitQueues(vertx, 10);
    Future<Void> echo = queues.await("echo", LONG);
    Future<Void> ws = queues.await("ws", LONG);

    queues.freed("ws");
    ws.timeout(10, TimeUnit.SECONDS).await();

    assertThat(echo.isComplete()).isFalse();
  }
}
