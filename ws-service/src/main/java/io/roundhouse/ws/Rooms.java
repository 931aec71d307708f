package io.roundhouse.ws;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms of one listener verticle: its local members and, per room, one consumer of the room's
 * cluster-wide event-bus address. Confined to the verticle's event loop.
 *
 * <p>A message is published once to the cluster; every node's consumers fan it out to their local
 * members, the sender included. A member whose write queue is full is closed with 1013 (try again
 * later) instead of being buffered for without bound.
 *
 * <p>A member is welcomed once its listener's consumer is registered in the cluster. A node that
 * already publishes to the room learns of a new subscription on another node asynchronously (within
 * tens of milliseconds), so messages sent in that moment may not reach the newcomer.
 */
final class Rooms {

  static final String ADDRESS_PREFIX = "roundhouse.room.";
  static final String KIND_HEADER = "ws-kind";
  static final short TRY_AGAIN_LATER = 1013;

  private static final Logger LOG = LoggerFactory.getLogger(Rooms.class);

  private final EventBus eventBus;
  private final Map<String, Room> rooms = new HashMap<>();
  private final DeliveryOptions textOptions = new DeliveryOptions().addHeader(KIND_HEADER, "text");
  private final DeliveryOptions binaryOptions =
      new DeliveryOptions().addHeader(KIND_HEADER, "binary");

  Rooms(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /** One room on this verticle: all local members, and those welcomed that get messages. */
  private static final class Room {
    final Set<ServerWebSocket> members = new LinkedHashSet<>();
    final Set<ServerWebSocket> receiving = new LinkedHashSet<>();
    MessageConsumer<Buffer> consumer;
  }

  /**
   * Adds a member. Once the room's consumer is registered cluster-wide, {@code welcome} runs and
   * the member starts receiving; the returned future completes after that.
   */
  Future<Void> join(String name, ServerWebSocket socket, Runnable welcome) {
    Room room = rooms.computeIfAbsent(name, this::open);
    room.members.add(socket);
    return room.consumer
        .completion()
        .onSuccess(
            v -> {
              if (room.members.contains(socket)) {
                welcome.run();
                room.receiving.add(socket);
              }
            });
  }

  /** Removes a member; the last local member to leave unregisters the room's consumer. */
  void leave(String name, ServerWebSocket socket) {
    Room room = rooms.get(name);
    if (room == null || !room.members.remove(socket)) {
      return;
    }
    room.receiving.remove(socket);
    if (room.members.isEmpty()) {
      rooms.remove(name);
      room.consumer.unregister();
      LOG.debug("Room {} has no local members left", name);
    }
  }

  /** Sends a message to every member of the room on every node. */
  void publish(String name, WsMessage message) {
    eventBus.publish(
        ADDRESS_PREFIX + name, message.data(), message.text() ? textOptions : binaryOptions);
  }

  /** The rooms that have local members now. */
  Set<String> names() {
    return Set.copyOf(rooms.keySet());
  }

  private Room open(String name) {
    Room room = new Room();
    room.consumer = eventBus.consumer(ADDRESS_PREFIX + name, msg -> deliver(name, room, msg));
    LOG.debug("Room {} opened on this listener", name);
    return room;
  }

  private void deliver(String name, Room room, Message<Buffer> msg) {
    WsMessage message = new WsMessage(msg.body(), "text".equals(msg.headers().get(KIND_HEADER)));
    for (ServerWebSocket socket : List.copyOf(room.receiving)) {
      if (socket.isClosed()) {
        continue;
      }
      if (socket.writeQueueFull()) {
        LOG.debug("Closing slow member of room {} ({})", name, socket.remoteAddress());
        leave(name, socket);
        socket.close(TRY_AGAIN_LATER, "Too slow: write queue full");
      } else {
        message.writeTo(socket);
      }
    }
  }
}
