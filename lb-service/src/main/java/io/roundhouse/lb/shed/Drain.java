package io.roundhouse.lb.shed;

import io.roundhouse.lb.conn.ConnectionRegistry;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.lb.conn.ShedReason;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One drain: a set of connections closed spread over a period, oldest first, each in its own slot
 * ({@link DrainSchedule}). A WebSocket is shed in its slot (at a frame boundary); a TCP stream only
 * once idle, tried again every tick after its slot, and at the deadline whatever it carries. Driven
 * by {@link #tick}, always from one thread.
 */
final class Drain {

  /** A drain's lifecycle, one way only. */
  enum State {
    DRAINING,
    DONE
  }

  private final String what;
  private final Context context;
  private final ConnectionRegistry registry;
  private final Duration tcpIdle;
  private final ShedCounters counters;
  private final List<LiveConnection> due;
  private final long[] slots;
  private final long startNanos;
  private final long deadlineNanos;
  private final List<LiveConnection> waitingForIdle = new ArrayList<>();
  private final Promise<Void> done = Promise.promise();
  private State state = State.DRAINING;
  private int next;
  private int inFlight;

  /**
   * @param what what drains, for the log: a backend's id, or "balancer"
   * @param context where {@link #tick} runs: the sheds' outcomes are handled there too
   * @param connections the connections to close, in any order
   */
  Drain(
      String what,
      Context context,
      ConnectionRegistry registry,
      List<LiveConnection> connections,
      Duration period,
      Duration tcpIdle,
      ShedCounters counters) {
    this.what = what;
    this.context = context;
    this.registry = registry;
    this.tcpIdle = tcpIdle;
    this.counters = counters;
    this.due = new ArrayList<>(connections);
    due.sort(Comparator.comparingLong(LiveConnection::openedNanos));
    this.startNanos = System.nanoTime();
    this.deadlineNanos = startNanos + period.toNanos();
    this.slots =
        DrainSchedule.offsets(
            due.size(), period.toNanos(), () -> ThreadLocalRandom.current().nextDouble());
  }

  String what() {
    return what;
  }

  int remaining() {
    return due.size() - next + waitingForIdle.size();
  }

  State state() {
    return state;
  }

  /** Completes once every connection was shed, or closed on its own. */
  Future<Void> done() {
    return done.future();
  }

  /** Sheds what is due by {@code now}; at the deadline, everything left. */
  void tick(long now) {
    if (state == State.DONE) {
      return;
    }
    boolean deadline = now - deadlineNanos >= 0;
    waitingForIdle.removeIf(c -> !registry.isLive(c));
    for (LiveConnection c : List.copyOf(waitingForIdle)) {
      shed(c, deadline ? Duration.ZERO : tcpIdle, true);
    }
    while (next < due.size() && (deadline || now - (startNanos + slots[next]) >= 0)) {
      LiveConnection c = due.get(next++);
      if (registry.isLive(c)) {
        shed(c, deadline ? Duration.ZERO : tcpIdle, false);
      }
    }
    if (deadline || (next == due.size() && inFlight == 0 && waitingForIdle.isEmpty())) {
      stop();
    }
  }

  private void shed(LiveConnection c, Duration idleAtLeast, boolean retry) {
    inFlight++;
    c.shed(ShedReason.DRAIN, idleAtLeast)
        .onComplete(shed -> context.runOnContext(v -> shedDone(c, shed, retry)));
  }

  private void shedDone(LiveConnection c, AsyncResult<Boolean> shed, boolean retry) {
    inFlight--;
    if (shed.succeeded() && shed.result()) {
      waitingForIdle.remove(c);
      counters.shed(ShedReason.DRAIN, c.kind());
    } else if (!retry && state == State.DRAINING && registry.isLive(c)) {
      waitingForIdle.add(c);
    }
  }

  /** Ends the drain; connections not yet shed are left alone. */
  void stop() {
    if (state == State.DRAINING) {
      state = State.DONE;
      waitingForIdle.clear();
      done.tryComplete();
    }
  }
}
