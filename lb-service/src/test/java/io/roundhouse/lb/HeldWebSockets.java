package io.roundhouse.lb;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WebSocket users held through a balancer's {@code /ws}, as load tests hold them: each knows the
 * node that welcomed it, records every close code it gets, and reconnects when closed with one of
 * the codes it was told to recover from (1012 for a move, 1001 for a drain).
 */
final class HeldWebSockets implements AutoCloseable {

  /**
   * How one close went: its code and reason, how many users were open right after it, and when it
   * came ({@link System#nanoTime()}, for benchmarks only).
   */
  record Close(int code, String reason, int openAfter, long atNanos) {}

  private final WebSocketClient client;
  private final int port;
  private final Set<Integer> reconnectOn;
  private final Map<Integer, String> nodeOf = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Close> closes = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
  private final List<ClientWebSocket> sockets = new ArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean closing;

  HeldWebSockets(Vertx vertx, int port, Set<Integer> reconnectOn) {
    // Vert.x caps WebSockets per server at 50 by default: a user beyond would wait forever.
    this.client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(20_000));
    this.port = port;
    this.reconnectOn = Set.copyOf(reconnectOn);
  }

  /** Opens {@code count} users, one after another; returns once each was welcomed. */
  void open(int count) {
    int first;
    synchronized (sockets) {
      first = sockets.size();
      for (int i = 0; i < count; i++) {
        sockets.add(null);
      }
    }
    for (int i = first; i < first + count; i++) {
      connect(i).timeout(20, TimeUnit.SECONDS).await();
    }
  }

  private Future<Void> connect(int user) {
    ClientWebSocket socket = client.webSocket();
    io.vertx.core.Promise<Void> welcomed = io.vertx.core.Promise.promise();
    socket.textMessageHandler(
        text -> {
          String node = new JsonObject(text).getString("node");
          if (node != null && !welcomed.future().isComplete()) {
            nodeOf.put(user, node);
            open.incrementAndGet();
            welcomed.tryComplete();
          }
        });
    socket.closeHandler(
        v -> {
          if (welcomed.future().isComplete()) {
            nodeOf.remove(user);
            int after = open.decrementAndGet();
            Short code = socket.closeStatusCode();
            int status = code == null ? -1 : code;
            closes.add(new Close(status, socket.closeReason(), after, System.nanoTime()));
            if (!closing && reconnectOn.contains(status)) {
              connect(user).onFailure(errors::add);
            }
          }
        });
    synchronized (sockets) {
      sockets.set(user, socket);
    }
    return socket
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .compose(v -> welcomed.future())
        .onFailure(errors::add);
  }

  /** Users open now, by the node that welcomed them. */
  Map<String, Integer> perNode() {
    Map<String, Integer> out = new TreeMap<>();
    nodeOf.values().forEach(node -> out.merge(node, 1, Integer::sum));
    return out;
  }

  int open() {
    return open.get();
  }

  List<Close> closes() {
    return List.copyOf(closes);
  }

  List<Throwable> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() {
    closing = true;
    List<ClientWebSocket> all;
    synchronized (sockets) {
      all = List.copyOf(sockets.stream().filter(java.util.Objects::nonNull).toList());
    }
    all.forEach(ClientWebSocket::close);
    client.close();
  }
}
