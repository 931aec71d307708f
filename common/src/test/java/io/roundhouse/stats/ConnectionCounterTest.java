package io.roundhouse.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-loop counts, on two real threads standing in for two event loops. */
class ConnectionCounterTest {

  private final ConnectionCounter counter = new ConnectionCounter();
  private final ExecutorService loopA = Executors.newSingleThreadExecutor(named("loop-a"));
  private final ExecutorService loopB = Executors.newSingleThreadExecutor(named("loop-b"));

  @AfterEach
  void stopThreads() {
    loopA.shutdownNow();
    loopB.shutdownNow();
  }

  private static ThreadFactory named(String name) {
    return r -> new Thread(r, name);
  }

  private <T> T on(ExecutorService loop, Callable<T> task) throws Exception {
    return loop.submit(task).get();
  }

  @Test
  void shouldCountEachLoopApartWhenTwoThreadsOpenConnections() throws Exception {
    for (int i = 0; i < 3; i++) {
      on(loopA, counter::opened);
    }
    on(loopB, counter::opened);
    on(
        loopA,
        () -> {
          counter.closed();
          return null;
        });

    assertThat(counter.loops())
        .containsExactly(new LoopStats("loop-a", 2, 3), new LoopStats("loop-b", 1, 1));
    assertThat(counter.active()).isEqualTo(3);
    assertThat(counter.total()).isEqualTo(4);
  }

  @Test
  void shouldCountTheCloseAgainstTheOpeningLoopWhenAnotherThreadClosesIt() throws Exception {
    ConnectionCounter.Loop openedOnA = on(loopA, counter::opened);
    on(loopB, counter::opened);

    on(
        loopB,
        () -> {
          counter.closed(openedOnA);
          return null;
        });

    assertThat(counter.loops())
        .containsExactly(new LoopStats("loop-a", 0, 1), new LoopStats("loop-b", 1, 1));
    assertThat(counter.active()).isEqualTo(1);
  }

  @Test
  void shouldReportNoLoopsWhenNothingOpened() {
    assertThat(counter.loops()).isEqualTo(List.of());
  }
}
