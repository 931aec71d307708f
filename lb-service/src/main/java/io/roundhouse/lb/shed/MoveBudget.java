package io.roundhouse.lb.shed;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The cluster-wide budget of moves: at most {@code perSecond} in any one-second window, whatever
 * the number of balancers. Each window is one entry of a Hazelcast map (the epoch second → moves
 * granted in it), taken by compare-and-set, so two balancers asking at once share the budget rather
 * than both spending it. Plain {@code Long}s only: every member, backends included, can hold the
 * entries.
 */
final class MoveBudget {

  static final String MAP = "roundhouse-rebalance-moves";

  /** Entries outlive their second only long enough for a late asker. */
  private static final int ENTRY_TTL_SECONDS = 60;

  private final Vertx vertx;
  private final IMap<Long, Long> windows;
  private final IntSupplier perSecond;

  MoveBudget(Vertx vertx, HazelcastInstance hazelcast, IntSupplier perSecond) {
    this.vertx = vertx;
    this.windows = hazelcast.getMap(MAP);
    this.perSecond = perSecond;
  }

  /** A grant: how many moves may be made, and the window's total after it. */
  record Grant(int moves, long windowTotal) {}

  /**
   * Asks for up to {@code wanted} moves in the current second (Hazelcast calls block: a worker).
   */
  Future<Grant> take(int wanted) {
    if (wanted <= 0) {
      return Future.succeededFuture(new Grant(0, 0));
    }
    return vertx.executeBlocking(() -> takeNow(wanted), false);
  }

  private Grant takeNow(int wanted) {
    long window = System.currentTimeMillis() / 1000;
    int perSecond = this.perSecond.getAsInt();
    while (true) {
      Long taken = windows.get(window);
      if (taken == null) {
        int granted = Math.min(wanted, perSecond);
        if (windows.putIfAbsent(window, (long) granted, ENTRY_TTL_SECONDS, TimeUnit.SECONDS)
            == null) {
          return new Grant(granted, granted);
        }
        continue;
      }
      int granted = (int) Math.max(0, Math.min(wanted, perSecond - taken));
      if (granted == 0) {
        return new Grant(0, taken);
      }
      if (windows.replace(window, taken, taken + granted)) {
        return new Grant(granted, taken + granted);
      }
    }
  }
}
