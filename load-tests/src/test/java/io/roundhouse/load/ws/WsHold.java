package io.roundhouse.load.ws;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.roundhouse.load.gatling.JavaAction;
import io.roundhouse.load.gatling.JavaActionBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds one WebSocket per virtual user for a while, as a long-lived client does, and recovers from
 * moves: a close with {@value #MOVE_CODE} (service restart, what the balancer sends when it
 * rebalances) is answered and followed by a reconnect through the balancer. Gatling records {@value
 * #OPEN} for every (re)connect, {@value #MOVED} for every move recovered from, and a KO {@value
 * #HOLD} for anything else: another close code, an error, a failed connect.
 */
public final class WsHold {

  public static final String OPEN = "ws open";
  public static final String MOVED = "ws moved (1012)";
  public static final String HOLD = "ws hold";

  static final int MOVE_CODE = 1012;

  private WsHold() {}

  /** Holds {@code uri} for {@code duration}; each connect gives up after {@code timeout}. */
  public static ActionBuilder hold(URI uri, Duration duration, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
    return new JavaActionBuilder(
        (ctx, next) -> new HoldAction(ctx, next, client, uri, duration, timeout));
  }

  private static final class HoldAction extends JavaAction {

    private final HttpClient client;
    private final URI uri;
    private final Duration duration;
    private final Duration timeout;

    HoldAction(
        ScenarioContext ctx,
        Action next,
        HttpClient client,
        URI uri,
        Duration duration,
        Duration timeout) {
      super("wsHold-" + uri, ctx, next);
      this.client = client;
      this.uri = uri;
      this.duration = duration;
      this.timeout = timeout;
    }

    @Override
    public void execute(Session session) {
      long start = now();
      AtomicBoolean passedOn = new AtomicBoolean();
      AtomicBoolean failed = new AtomicBoolean();
      HeldWebSocket[] held = new HeldWebSocket[1];
      HeldWebSocket.Events events =
          new HeldWebSocket.Events() {
            @Override
            public void opened(long startMillis) {
              long end = now();
              session.eventLoop().execute(() -> ok(session, OPEN, startMillis, end));
            }

            @Override
            public void moved(int code, String reason) {
              long at = now();
              session.eventLoop().execute(() -> ok(session, MOVED, at, at));
            }

            @Override
            public void failed(String why) {
              failed.set(true);
              long end = now();
              session.eventLoop().execute(() -> ko(session, HOLD, start, end, why));
            }

            @Override
            public void done() {
              if (passedOn.compareAndSet(false, true)) {
                Session after = failed.get() ? session.markAsFailed() : session;
                session.eventLoop().execute(() -> next(after));
              }
            }
          };
      held[0] = new HeldWebSocket(client, uri, timeout, MOVE_CODE, events);
      held[0].connect();
      session
          .eventLoop()
          .schedule(() -> held[0].release(), duration.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
