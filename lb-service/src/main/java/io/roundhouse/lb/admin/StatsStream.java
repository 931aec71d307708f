package io.roundhouse.lb.admin;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/stats/stream}: Server-Sent Events, one {@code stats} event per sample. Samples
 * reach each open response through a local-only event bus address, so every response is written on
 * its own connection's context; a response that closes unsubscribes. A client too slow to take the
 * last event misses the next one rather than queueing it: the following event supersedes it.
 */
final class StatsStream implements Handler<RoutingContext> {

  static final String EVENT = "stats";

  /** How long a browser waits before reconnecting after the stream breaks. */
  static final long RETRY_MS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(StatsStream.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final String address;
  private final AtomicInteger open = new AtomicInteger();
  private volatile String lastEvent;

  /**
   * @param address a local event bus address of this stream's own
   */
  StatsStream(Vertx vertx, String address) {
    this.vertx = vertx;
    this.address = address;
  }

  /** Sends a snapshot (without histories) to every open stream, and to those that open later. */
  void publish(JsonObject snapshot) {
    String event = "event: " + EVENT + "\ndata: " + snapshot.encode() + "\n\n";
    lastEvent = event;
    vertx.eventBus().publish(address, event, LOCAL);
  }

  /** Streams open now. */
  int open() {
    return open.get();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    MessageConsumer<String> consumer = vertx.eventBus().localConsumer(address);
    consumer.handler(m -> send(response, m.body()));
    open.incrementAndGet();
    AtomicBoolean subscribed = new AtomicBoolean(true);
    Handler<Void> unsubscribe =
        v -> {
          if (subscribed.compareAndSet(true, false)) {
            open.decrementAndGet();
            consumer.unregister();
            LOG.debug("Stats stream to {} closed", ctx.request().remoteAddress());
          }
        };
    response.closeHandler(unsubscribe);
    response.endHandler(unsubscribe);
    String first = lastEvent;
    response.write("retry: " + RETRY_MS + "\n\n" + (first == null ? "" : first));
  }

  private static void send(HttpServerResponse response, String event) {
    if (!response.ended() && !response.closed() && !response.writeQueueFull()) {
      response.write(event);
    }
  }
}
