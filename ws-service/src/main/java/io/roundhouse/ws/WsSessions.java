package io.roundhouse.ws;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSockets of one listener: upgrades, the welcome frame, echo with backpressure and room
 * membership. Confined to the listener's event loop.
 */
final class WsSessions {

  static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final short INTERNAL_ERROR = 1011;

  private static final Logger LOG = LoggerFactory.getLogger(WsSessions.class);

  private final String nodeId;
  private final int maxMessageSize;
  private final ConnectionCounter counter;
  private final Rooms rooms;

  WsSessions(String nodeId, int maxMessageSize, ConnectionCounter counter, Rooms rooms) {
    this.nodeId = nodeId;
    this.maxMessageSize = maxMessageSize;
    this.counter = counter;
    this.rooms = rooms;
  }

  /** {@code /ws}: every message comes back as it was sent. */
  void echo(RoutingContext ctx) {
    upgrade(ctx, null);
  }

  /** {@code /ws/room/:name}: every message goes to every member of the room, cluster-wide. */
  void room(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (name == null || !ROOM_NAME.matcher(name).matches()) {
      ctx.response().setStatusCode(400).end("Invalid room name: 1-64 of A-Z a-z 0-9 _ -\n");
      return;
    }
    upgrade(ctx, name);
  }

  private void upgrade(RoutingContext ctx, String room) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.response().setStatusCode(400).end("WebSocket upgrade expected\n");
      return;
    }
    ctx.request()
        .toWebSocket()
        .onSuccess(ws -> accept(ws, room))
        .onFailure(e -> LOG.debug("WebSocket handshake failed: {}", e.toString()));
  }

  private void accept(ServerWebSocket ws, String room) {
    if (ws.isClosed()) {
      return;
    }
    // Counted per event loop too: the loop that accepted it keeps it until it closes.
    ConnectionCounter.Loop loop = counter.opened();
    ws.exceptionHandler(e -> onError(ws, e));
    ws.closeHandler(
        v -> {
          counter.closed(loop);
          if (room != null) {
            rooms.leave(room, ws);
          }
        });
    if (room == null) {
      startEcho(ws);
    } else {
      join(ws, room);
    }
  }

  private void startEcho(ServerWebSocket ws) {
    ws.writeTextMessage(welcome(null));
    ws.drainHandler(v -> ws.resume());
    MessageAssembler.install(
        ws,
        maxMessageSize,
        msg -> {
          msg.writeTo(ws);
          if (!ws.isClosed() && ws.writeQueueFull()) {
            ws.pause();
          }
        });
  }

  private void join(ServerWebSocket ws, String room) {
    // Nothing is read until the member is subscribed and welcomed.
    ws.pause();
    ws.setWriteQueueMaxSize(2 * maxMessageSize);
    Runnable welcome =
        () -> {
          if (!ws.isClosed()) {
            ws.writeTextMessage(welcome(room));
            MessageAssembler.install(ws, maxMessageSize, m -> rooms.publish(room, m));
            ws.resume();
          }
        };
    rooms
        .join(room, ws, welcome)
        .onFailure(
            e -> {
              LOG.warn("Cannot join room {}: {}", room, e.toString());
              if (!ws.isClosed()) {
                ws.close(INTERNAL_ERROR, "Room unavailable");
              }
            });
  }

  private void onError(ServerWebSocket ws, Throwable e) {
    LOG.debug("WebSocket {} error: {}", ws.remoteAddress(), e.toString());
    if (e instanceof CorruptedWebSocketFrameException bad && !ws.isClosed()) {
      // A frame over the size limit (1009) or a protocol error (1002): Vert.x would only drop the
      // connection, so tell the peer why first.
      WebSocketCloseStatus status = bad.closeStatus();
      ws.close((short) status.code(), status.reasonText());
    }
  }

  private String welcome(String room) {
    JsonObject welcome = new JsonObject().put("type", "welcome").put("node", nodeId);
    return (room == null ? welcome : welcome.put("room", room)).encode();
  }
}
