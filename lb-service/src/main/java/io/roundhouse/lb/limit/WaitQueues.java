package io.roundhouse.lb.limit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bounded FIFO queue per service, for connections and requests that found every backend at its
 * cap. A waiter resumes on its own event loop when a slot frees, in arrival order, or fails with
 * {@link Rejection#QUEUE_TIMEOUT} when its time is up; past {@code maxQueue} waiters a new one
 * fails at once with {@link Rejection#QUEUE_FULL}.
 */
public final class WaitQueues {

  private final Vertx vertx;
  private final int maxQueue;
  private final Map<String, Queue> byService = new ConcurrentHashMap<>();

  public WaitQueues(Vertx vertx, int maxQueue) {
    this.vertx = vertx;
    this.maxQueue = maxQueue;
  }

  /** Waits, on the caller's context, for {@link #freed(String)} on {@code service}. */
  public Future<Void> await(String service, Duration timeout) {
    Context context = vertx.getOrCreateContext();
    Waiter waiter = new Waiter(context, Promise.promise());
    Queue queue = queue(service);
    if (!queue.offer(waiter, maxQueue)) {
      return Future.failedFuture(
          new LimitExceededException(
              Rejection.QUEUE_FULL, service + "'s queue holds " + maxQueue + " already"));
    }
    waiter.timer =
        vertx.setTimer(
            Math.max(1, timeout.toMillis()),
            id -> {
              if (queue.remove(waiter)) {
                waiter.promise.tryFail(
                    new LimitExceededException(
                        Rejection.QUEUE_TIMEOUT, "no " + service + " backend free in time"));
              }
            });
    return waiter.promise.future();
  }

  /** A slot of {@code service} was given back, or a backend joined: the first waiter goes on. */
  public void freed(String service) {
    Queue queue = byService.get(service);
    Waiter waiter = queue == null ? null : queue.poll();
    if (waiter != null) {
      vertx.cancelTimer(waiter.timer);
      waiter.context.runOnContext(v -> waiter.promise.tryComplete());
    }
  }

  /** Waiting now. */
  public int length(String service) {
    Queue queue = byService.get(service);
    return queue == null ? 0 : queue.length();
  }

  /** The most that ever waited at once. */
  public int peak(String service) {
    Queue queue = byService.get(service);
    return queue == null ? 0 : queue.peak();
  }

  private Queue queue(String service) {
    return byService.computeIfAbsent(service, s -> new Queue());
  }

  private static final class Waiter {
    final Context context;
    final Promise<Void> promise;
    volatile long timer = -1;

    Waiter(Context context, Promise<Void> promise) {
      this.context = context;
      this.promise = promise;
    }
  }

  /** Guarded by itself: touched from every event loop, held for a few instructions. */
  private static final class Queue {
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int peak;

    synchronized boolean offer(Waiter waiter, int max) {
      if (waiters.size() >= max) {
        return false;
      }
      waiters.addLast(waiter);
      peak = Math.max(peak, waiters.size());
      return true;
    }

    synchronized Waiter poll() {
      return waiters.pollFirst();
    }

    synchronized boolean remove(Waiter waiter) {
      return waiters.remove(waiter);
    }

    synchronized int length() {
      return waiters.size();
    }

    synchronized int peak() {
      return peak;
    }
  }
}
