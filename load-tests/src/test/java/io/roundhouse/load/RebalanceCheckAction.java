package io.roundhouse.load;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.admin.NodeStats;
import io.roundhouse.load.admin.RebalanceStatus;
import io.roundhouse.load.gatling.JavaAction;
import io.roundhouse.load.gatling.JavaActionBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * While the users hold their WebSockets: waits for a ws node that was not there when the run began,
 * then until it holds its fair share of the held connections within the tolerance; then checks that
 * no one-second window moved more connections than the configured rate. Recorded as {@value
 * #SPREAD} and {@value #RATE}: OK, or KO with the reason, so the run fails.
 */
final class RebalanceCheckAction extends JavaAction {

  static final String SPREAD = "rebalance: new node at its share";
  static final String RATE = "rebalance: moves within the rate";

  private final AdminClient admin;
  private final Set<String> before;
  private final int users;
  private final double tolerance;
  private final Duration wait;

  private RebalanceCheckAction(
      ScenarioContext ctx,
      Action next,
      AdminClient admin,
      Set<String> before,
      int users,
      double tolerance,
      Duration wait) {
    super("rebalanceCheck", ctx, next);
    this.admin = admin;
    this.before = before;
    this.users = users;
    this.tolerance = tolerance;
    this.wait = wait;
  }

  /**
   * @param before the ws nodes when the run began
   */
  static ActionBuilder of(
      AdminClient admin, Set<String> before, int users, double tolerance, Duration wait) {
    return new JavaActionBuilder(
        (ctx, next) -> new RebalanceCheckAction(ctx, next, admin, before, users, tolerance, wait));
  }

  @Override
  public void execute(Session session) {
    long start = now();
    // Blocking polls of the admin API: off the event loop, then back onto it.
    CompletableFuture.supplyAsync(this::spread)
        .thenAccept(
            failure -> {
              long spreadEnd = now();
              String rateFailure = failure == null ? rate() : null;
              long end = now();
              session
                  .eventLoop()
                  .execute(
                      () -> {
                        record(session, SPREAD, start, spreadEnd, failure);
                        if (failure == null) {
                          record(session, RATE, spreadEnd, end, rateFailure);
                        }
                        next(
                            failure == null && rateFailure == null
                                ? session
                                : session.markAsFailed());
                      });
            });
  }

  private void record(Session session, String name, long start, long end, String failure) {
    if (failure == null) {
      ok(session, name, start, end);
    } else {
      ko(session, name, start, end, failure);
    }
  }

  /** Null once a new node holds its share, else why not by the deadline. */
  private String spread() {
    long deadline = System.nanoTime() + wait.toNanos();
    String last = "no ws node joined";
    try {
      while (System.nanoTime() < deadline) {
        Map<String, NodeStats> ws = admin.nodes().service("ws");
        long held = ws.values().stream().mapToLong(NodeStats::activeConnections).sum();
        double fair = (double) held / Math.max(1, ws.size());
        for (NodeStats node : ws.values()) {
          if (before.contains(node.id())) {
            continue;
          }
          long mine = node.activeConnections();
          last = node.id() + " holds " + mine + " of " + held + " (fair " + fair + ")";
          if (held >= users && Math.abs(mine - fair) <= fair * tolerance) {
            return null;
          }
        }
        Thread.sleep(500);
      }
    } catch (Exception e) {
      return "admin API: " + e.getMessage();
    }
    return "within " + wait.toSeconds() + " s: " + last;
  }

  private String rate() {
    try {
      RebalanceStatus status = admin.rebalance();
      if (!status.enabled()) {
        return "rebalancing is off (LB_REBALANCE)";
      }
      return status.windowMovesMax() <= status.movesPerSecond()
          ? null
          : status.windowMovesMax() + " moves in one second, over " + status.movesPerSecond();
    } catch (Exception e) {
      return "admin API: " + e.getMessage();
    }
  }
}
