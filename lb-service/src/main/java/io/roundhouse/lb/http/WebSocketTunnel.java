package io.roundhouse.lb.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.Lease;
import io.roundhouse.lb.backend.OutboundDialer;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.net.ChannelSplice;
import io.roundhouse.net.Sockets;
import io.roundhouse.net.SpliceLeg;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.spi.metrics.TCPMetrics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunnels WebSocket upgrades to ws-service backends over plain TCP channels of their own, dialled
 * on the client's event loop: no HTTP pool stands between a client and its tunnel, so tunnels are
 * bounded only by what we configure. Per upgrade: dial a backend, write the upgrade request ({@link
 * BackendHandshake}), relay a refusal as is, or on 101 answer the client, take its channel away
 * from Vert.x and {@link ChannelSplice} the two channels, zero-copy and with backpressure both
 * ways. A held tunnel is then two channels and two small handlers; the HTTP connection's objects
 * are garbage. Either side may close at any point; the other is then closed and the backend's count
 * released, exactly once.
 */
final class WebSocketTunnel {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTunnel.class);

  /** An upgrade's lifecycle, one way only: each state is left for a later one or for ENDED. */
  enum State {
    DIALLING,
    AWAITING_ANSWER,
    SWITCHING,
    SPLICED,
    ENDED
  }

  private final ContextInternal context;
  private final LbConfig config;
  private final BackendConnector connector;
  private final OutboundDialer dialer;
  private final FrontendCounters counters;
  private final GatewayErrors errors;
  private final Duration shedCloseTimeout;

  /**
   * @param context the frontend verticle's: its event loop is the clients' and the dialler's
   * @param shedCloseTimeout how long a shed tunnel's close handshakes may take ({@link
   *     TunnelShedder})
   */
  WebSocketTunnel(
      ContextInternal context,
      LbConfig config,
      BackendConnector connector,
      OutboundDialer dialer,
      FrontendCounters counters,
      GatewayErrors errors,
      Duration shedCloseTimeout) {
    this.context = context;
    this.config = config;
    this.connector = connector;
    this.dialer = dialer;
    this.counters = counters;
    this.errors = errors;
    this.shedCloseTimeout = shedCloseTimeout;
  }

  void handle(HttpServerRequest inbound) {
    new Upgrade(inbound).start();
  }

  /**
   * The upgrade request as the backend gets it: end-to-end headers and {@code Upgrade}, plus
   * forwarding headers.
   */
  static FullHttpRequest upgradeRequest(HttpServerRequest inbound) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(inbound.headers());
    HopByHop.strip(headers, HopByHop.KEEP_UPGRADE);
    headers.set("Connection", "Upgrade");
    Forwarded.add(inbound, headers);
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, inbound.uri(), Unpooled.EMPTY_BUFFER);
    headers.forEach((name, value) -> request.headers().add(name, value));
    return request;
  }

  /** One client's upgrade; every method runs on the client connection's event loop. */
  private final class Upgrade {

    private final HttpServerRequest inbound;
    private State state = State.DIALLING;
    private Lease<SpliceLeg> lease;
    private FrameGate fromBackend;

    Upgrade(HttpServerRequest inbound) {
      this.inbound = inbound;
    }

    void start() {
      inbound.pause();
      inbound.response().closeHandler(v -> onInboundClosed());
      connector
          .connect(ServiceInstance.WS, backend -> dialer.dial(backend.instance()))
          .onComplete(
              dialled ->
                  context.emit(
                      v -> {
                        if (dialled.succeeded()) {
                          onDialled(dialled.result());
                        } else {
                          fail(dialled.cause());
                        }
                      }));
    }

    private void onDialled(Lease<SpliceLeg> dialled) {
      lease = dialled;
      if (state == State.ENDED) {
        end();
        return;
      }
      state = State.AWAITING_ANSWER;
      // Before the handshake's codec leaves, so that frames in the 101's read pass through it.
      fromBackend = FrameGate.watch(dialled.value().channel());
      BackendHandshake.perform(dialled.value(), upgradeRequest(inbound), config.backendTimeout())
          .onComplete(answer -> context.emit(v -> onAnswer(dialled, answer)));
    }

    private void onAnswer(Lease<SpliceLeg> dialled, AsyncResult<UpgradeAnswer> answer) {
      if (state == State.ENDED) {
        return;
      }
      if (answer.failed()) {
        dialled.failed(answer.cause());
        fail(answer.cause());
      } else if (answer.result().switched()) {
        dialled.succeeded();
        switchProtocols(answer.result());
      } else {
        dialled.answered(answer.result().status());
        relayRefusal(answer.result());
      }
    }

    private void switchProtocols(UpgradeAnswer answer) {
      state = State.SWITCHING;
      HttpServerResponse toClient = inbound.response();
      answer
          .headers()
          .forEach(header -> toClient.headers().add(header.getKey(), header.getValue()));
      inbound
          .toNetSocket()
          .onComplete(
              switched -> {
                if (switched.failed()) {
                  LOG.debug("Could not switch the client's connection: {}", switched.cause());
                  fail(switched.cause());
                } else if (state == State.ENDED) {
                  switched.result().close();
                } else {
                  splice(switched.result());
                }
              });
    }

    /**
     * Takes the client's channel from Vert.x: the socket's handler gives way to a splice leg, with
     * the tunnel's idle timeout. A backend that closed meanwhile is seen by the splice, which then
     * closes the client after the 101.
     */
    private void splice(NetSocket switched) {
      Channel channel = ((NetSocketInternal) switched).channelHandlerContext().channel();
      if (!channel.isActive()) {
        // The client left while the pipeline was being switched: its close was not reported.
        channel.close();
        end();
        return;
      }
      reportCloseToVertxMeters((ConnectionBase) switched, channel);
      Sockets.setIdleTimeout(channel, config.tunnelIdleTimeout());
      SpliceLeg inboundLeg = ChannelSplice.takeOver(channel, EdgePipeline.HANDLER);
      state = State.SPLICED;
      Channel backendChannel = lease.value().channel();
      TunnelShedder shedder =
          new TunnelShedder(
              channel, FrameGate.watch(channel), backendChannel, fromBackend, shedCloseTimeout);
      LiveConnection live = LiveConnection.of(channel);
      if (live != null) {
        live.upgraded();
        live.outbound(lease.backend().id(), backendChannel);
        live.shedBy(shedder);
      }
      // Only locals in the close callback: capturing this upgrade would keep the client's HTTP
      // request, its connection and their buffers alive for as long as the tunnel lives.
      ConnectionCounter tunnels = counters.webSocket();
      Lease<SpliceLeg> spliced = lease;
      tunnels.opened();
      ChannelSplice.start(inboundLeg, spliced.value())
          .closed()
          .onComplete(
              closed -> {
                tunnels.closed();
                spliced.release();
              });
    }

    /**
     * With Vert.x's own meters on, its connection gauge is told of the close that Vert.x, no longer
     * in the pipeline, will not see (the request's in-flight gauge is not: its metric object lives
     * in the request, which must not stay alive).
     */
    private static void reportCloseToVertxMeters(ConnectionBase socket, Channel channel) {
      if (socket.metrics() instanceof TCPMetrics<?> meters) {
        @SuppressWarnings("unchecked")
        TCPMetrics<Object> tcp = (TCPMetrics<Object>) meters;
        Object metric = socket.metric();
        SocketAddress remote = socket.remoteAddress();
        channel.closeFuture().addListener(closed -> tcp.disconnected(metric, remote));
      }
    }

    private void relayRefusal(UpgradeAnswer answer) {
      end();
      inbound.resume();
      HttpServerResponse toClient = inbound.response();
      if (toClient.closed()) {
        return;
      }
      toClient.setStatusCode(answer.status());
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      answer.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
      // A 426 names what to upgrade to: Upgrade stays.
      HopByHop.strip(headers, HopByHop.KEEP_UPGRADE);
      toClient.headers().addAll(headers);
      toClient.end(answer.body());
    }

    private void onInboundClosed() {
      if (state != State.SPLICED && state != State.ENDED) {
        LOG.debug("Client {} left during its upgrade ({})", inbound.remoteAddress(), state);
        end();
      }
    }

    /** The client gets the mapped error if it can still be answered, else its connection closes. */
    private void fail(Throwable error) {
      LOG.debug("WebSocket upgrade from {} failed: {}", inbound.remoteAddress(), error.toString());
      end();
      inbound.resume();
      if (inbound.response().headWritten()) {
        inbound.connection().close();
      } else {
        errors.respond(GatewayErrors.WEBSOCKET, inbound.response(), error);
      }
    }

    /** Closes the backend channel, if any, and releases its count; safe to call again. */
    private void end() {
      state = State.ENDED;
      if (lease != null) {
        lease.value().discard();
        lease.release();
      }
    }
  }
}
