package io.roundhouse.load;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.roundhouse.load.gatling.JavaAction;
import io.roundhouse.load.gatling.JavaActionBuilder;
import io.roundhouse.load.spread.SpreadCheck;
import io.roundhouse.load.spread.Verdict;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a {@link SpreadCheck} after the load and records it as the request {@value #NAME}: OK when
 * the spread is as expected, KO (with the reason) otherwise, so that the simulation's {@code
 * failedRequests} assertion fails the run.
 */
final class SpreadCheckAction extends JavaAction {

  static final String NAME = "spread check";

  private final SpreadCheck check;

  private SpreadCheckAction(ScenarioContext ctx, Action next, SpreadCheck check) {
    super("spreadCheck", ctx, next);
    this.check = check;
  }

  static ActionBuilder of(SpreadCheck check) {
    return new JavaActionBuilder((ctx, next) -> new SpreadCheckAction(ctx, next, check));
  }

  @Override
  public void execute(Session session) {
    long start = now();
    // The admin API is polled with blocking calls: off the event loop, then back onto it.
    CompletableFuture.supplyAsync(this::evaluate)
        .thenAccept(
            failure ->
                session
                    .eventLoop()
                    .execute(
                        () -> {
                          long end = now();
                          if (failure == null) {
                            ok(session, NAME, start, end);
                            next(session);
                          } else {
                            ko(session, NAME, start, end, failure);
                            next(session.markAsFailed());
                          }
                        }));
  }

  /** Null when the spread passed, else why not. */
  private String evaluate() {
    try {
      Verdict verdict = check.evaluate();
      return verdict.passed() ? null : verdict.message();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception e) {
      logger().underlying().error("spread check failed", e);
      return "spread check could not run: " + e.getMessage();
    }
  }
}
