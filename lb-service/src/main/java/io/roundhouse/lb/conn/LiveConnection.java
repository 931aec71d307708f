package io.roundhouse.lb.conn;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One client socket the balancer holds, as the connection list shows it: the inbound leg's
 * addresses (client → balancer), once a backend is chosen the outbound leg's (the balancer's
 * ephemeral address:port → backend), the event loop that owns both, and its traffic. Written only
 * by the owning event loop; read by the admin's, so the mutable fields are volatile.
 */
public final class LiveConnection {

  /** Where an HTTP connection's entry hangs on its channel, so its requests can find it. */
  public static final AttributeKey<LiveConnection> KEY = AttributeKey.valueOf("roundhouse-live");

  private final long id;
  private final String frontend;
  private final String service;
  private final String loop;
  private final InetSocketAddress client;
  private final InetSocketAddress local;
  private final long openedNanos;
  private final long openedMillis;
  private volatile Kind kind;
  private volatile String backend;
  private volatile InetSocketAddress outboundLocal;
  private volatile InetSocketAddress outboundRemote;
  private volatile Traffic traffic = Traffic.NONE;
  private volatile long requests;
  private volatile Shedder shedder = Shedder.NONE;

  LiveConnection(
      long id,
      Kind kind,
      String frontend,
      String service,
      InetSocketAddress client,
      InetSocketAddress local) {
    this.id = id;
    this.kind = kind;
    this.frontend = frontend;
    this.service = service;
    this.client = client;
    this.local = local;
    this.loop = Thread.currentThread().getName();
    this.openedNanos = System.nanoTime();
    this.openedMillis = System.currentTimeMillis();
  }

  /** The entry {@link ConnectionRegistry#open} hung on {@code channel}, or null. */
  public static LiveConnection of(Channel channel) {
    return channel.attr(KEY).get();
  }

  /** Traffic is counted by {@code traffic} from now on. */
  public LiveConnection countedBy(Traffic traffic) {
    this.traffic = traffic;
    return this;
  }

  /** A backend took the connection through {@code outbound}, a socket of its own. */
  public void outbound(String backendId, Channel outbound) {
    outbound(backendId, address(outbound.localAddress()), address(outbound.remoteAddress()));
  }

  /** A backend took the connection; {@code outboundLocal} is null when it shares a pool. */
  public void outbound(
      String backendId, InetSocketAddress outboundLocal, InetSocketAddress outboundRemote) {
    this.backend = backendId;
    this.outboundLocal = outboundLocal;
    this.outboundRemote = outboundRemote;
  }

  /** From now on a rebalance or a drain ends this connection through {@code shedder}. */
  public void shedBy(Shedder shedder) {
    this.shedder = shedder;
  }

  /** See {@link Shedder#shed}; false for a connection whose frontend set no shedder. */
  public io.vertx.core.Future<Boolean> shed(ShedReason reason, java.time.Duration idleAtLeast) {
    return shedder.shed(reason, idleAtLeast);
  }

  /** An HTTP connection was upgraded to a WebSocket tunnel. */
  public void upgraded() {
    this.kind = Kind.WEBSOCKET;
  }

  /** One more request served on this (HTTP keep-alive) connection; only its loop calls this. */
  @SuppressWarnings("NonAtomicVolatileUpdate")
  public void requested() {
    requests++;
  }

  public long id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  public String frontend() {
    return frontend;
  }

  public String service() {
    return service;
  }

  public String loop() {
    return loop;
  }

  public InetSocketAddress client() {
    return client;
  }

  public InetSocketAddress local() {
    return local;
  }

  public String backend() {
    return backend;
  }

  public InetSocketAddress outboundLocal() {
    return outboundLocal;
  }

  public InetSocketAddress outboundRemote() {
    return outboundRemote;
  }

  public Traffic traffic() {
    return traffic;
  }

  public long requests() {
    return requests;
  }

  public long openedNanos() {
    return openedNanos;
  }

  public long openedMillis() {
    return openedMillis;
  }

  /** Nanoseconds since the last read on either leg, or since the open if nothing was read. */
  public long idleNanos(long now) {
    long last = traffic.lastActiveNanos();
    if (last == 0 || last - openedNanos < 0) {
      last = openedNanos;
    }
    return Math.max(0, now - last);
  }

  static InetSocketAddress address(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet : null;
  }
}
