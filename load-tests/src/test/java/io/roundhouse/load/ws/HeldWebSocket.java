package io.roundhouse.load.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One virtual user's WebSocket, held until a deadline, reconnecting when the server closes it with
 * the code it is told to recover from (1012: a move). Non-blocking: the JDK's WebSocket client
 * calls back on its own threads, and every outcome goes to {@link Events}, which hands it back to
 * Gatling's event loop.
 *
 * <p>Lifecycle, one way only except the reconnect: {@code CONNECTING → OPEN → (MOVED → CONNECTING)*
 * → DONE}; any close with another code, an error, or a failed connect ends it.
 */
final class HeldWebSocket implements WebSocket.Listener {

  /** What the user is told, on some thread of the JDK client. */
  interface Events {
    void opened(long startMillis);

    void moved(int code, String reason);

    void failed(String why);

    /** The hold is over and the socket closed by us, or the user ended otherwise. */
    void done();
  }

  enum State {
    CONNECTING,
    OPEN,
    MOVED,
    DONE
  }

  private final HttpClient client;
  private final URI uri;
  private final Duration timeout;
  private final int recoverFrom;
  private final Events events;
  private volatile State state = State.CONNECTING;
  private volatile WebSocket socket;

  HeldWebSocket(HttpClient client, URI uri, Duration timeout, int recoverFrom, Events events) {
    this.client = client;
    this.uri = uri;
    this.timeout = timeout;
    this.recoverFrom = recoverFrom;
    this.events = events;
  }

  State state() {
    return state;
  }

  void connect() {
    state = State.CONNECTING;
    long start = System.currentTimeMillis();
    client
        .newWebSocketBuilder()
        .connectTimeout(timeout)
        .buildAsync(uri, this)
        .whenComplete(
            (ws, error) -> {
              if (error != null) {
                end(() -> events.failed("connect: " + error.getMessage()));
              } else if (state == State.DONE) {
                ws.abort();
              } else {
                socket = ws;
                state = State.OPEN;
                events.opened(start);
              }
            });
  }

  /** Ends the hold: a 1000 close, then done. */
  void release() {
    WebSocket ws = socket;
    if (state == State.DONE) {
      return;
    }
    state = State.DONE;
    if (ws == null) {
      events.done();
      return;
    }
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done")
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .whenComplete(
            (w, e) -> {
              ws.abort();
              events.done();
            });
  }

  /** Ends the user without a close handshake (it left the scenario some other way). */
  void abort() {
    state = State.DONE;
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
    if (state == State.DONE) {
      return null;
    }
    if (code == recoverFrom) {
      state = State.MOVED;
      events.moved(code, reason);
      // Answer the close, then come back through the balancer.
      CompletableFuture<WebSocket> answered = ws.sendClose(WebSocket.NORMAL_CLOSURE, "moving");
      answered.whenComplete((w, e) -> connect());
    } else {
      end(() -> events.failed("closed by the server with " + code + " " + reason));
    }
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    if (state != State.DONE) {
      end(() -> events.failed("error: " + error));
    }
  }

  private void end(Runnable report) {
    state = State.DONE;
    report.run();
    events.done();
  }
}
