package io.roundhouse.load;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.roundhouse.load.gatling.JavaAction;
import io.roundhouse.load.gatling.JavaActionBuilder;
import java.util.concurrent.atomic.AtomicLong;
import scala.Option;

/**
 * Records the silent HTTP request just made under a name that carries the node that served it
 * ({@code GET /info @ws-2}), which only the response can tell. The request itself is {@code
 * silent()}, so each request is counted once, here: OK with the node, or KO with what went wrong.
 */
final class NodeRecordAction extends JavaAction {

  static final String STATUS = "httpStatus";
  static final String RESPONSE_TIME = "responseTime";

  private final String request;
  private final AtomicLong answered;

  private NodeRecordAction(ScenarioContext ctx, Action next, String request, AtomicLong answered) {
    super("nodeRecord", ctx, next);
    this.request = request;
    this.answered = answered;
  }

  /**
   * @param request the request's name; {@code " @<node>"} is appended
   * @param answered counts the requests that got an HTTP response
   */
  static ActionBuilder of(String request, AtomicLong answered) {
    return new JavaActionBuilder((ctx, next) -> new NodeRecordAction(ctx, next, request, answered));
  }

  @Override
  public void execute(Session session) {
    long end = now();
    Object time = value(session, RESPONSE_TIME);
    Object status = value(session, STATUS);
    Object node = value(session, Simulations.NODE);
    long start = time instanceof Number n ? end - n.longValue() : end;
    if (status != null) {
      answered.incrementAndGet();
    }
    if (time == null || status == null) {
      ko(session, request, start, end, "no response");
    } else if (!"200".equals(String.valueOf(status))) {
      ko(session, request, start, end, "status " + status);
    } else if (node == null) {
      ko(session, request, start, end, "no node in the response");
    } else {
      ok(session, request + " @" + node, start, end);
    }
    // Accounted for above: the next request starts with a clean slate.
    next(
        new io.gatling.javaapi.core.Session(session)
            .removeAll(RESPONSE_TIME, STATUS, Simulations.NODE)
            .markAsSucceeded()
            .asScala());
  }

  private static Object value(Session session, String key) {
    Option<Object> value = session.attributes().get(key);
    return value.isDefined() ? value.get() : null;
  }
}
