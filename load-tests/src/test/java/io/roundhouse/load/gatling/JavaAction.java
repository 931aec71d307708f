package io.roundhouse.load.gatling;

import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.util.Clock;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.structure.ScenarioContext;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Base of the custom actions: a plain Java {@link Action} that reports to Gatling's statistics, so
 * that its results show in the report and count in assertions.
 *
 * <p>Subclasses must not block: {@link #execute} runs on the virtual user's event loop. They pass
 * the user on with {@link #next(Session)}.
 */
public abstract class JavaAction implements Action {

  private final com.typesafe.scalalogging.Logger logger =
      com.typesafe.scalalogging.Logger.apply(LoggerFactory.getLogger(getClass()));

  private final String name;
  private final Action next;
  private final StatsEngine statsEngine;
  private final Clock clock;

  protected JavaAction(String name, ScenarioContext ctx, Action next) {
    this.name = name;
    this.next = next;
    this.statsEngine = ctx.coreComponents().statsEngine();
    this.clock = ctx.coreComponents().clock();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public com.typesafe.scalalogging.Logger logger() {
    return logger;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(
      com.typesafe.scalalogging.Logger ignored) {
    // The logger is a final field; Scala's trait initialiser has nothing to set.
  }

  protected long now() {
    return clock.nowMillis();
  }

  /** Hands the user on to the next action, on its own event loop. */
  protected void next(Session session) {
    next.$bang(session);
  }

  protected void ok(Session session, String request, long start, long end) {
    statsEngine.logResponse(
        session.scenario(),
        session.groups(),
        request,
        start,
        end,
        OK$.MODULE$,
        Option.empty(),
        Option.empty());
  }

  protected void ko(Session session, String request, long start, long end, String message) {
    statsEngine.logResponse(
        session.scenario(),
        session.groups(),
        request,
        start,
        end,
        KO$.MODULE$,
        Option.empty(),
        Option.apply(message));
  }
}
