package io.roundhouse.lb.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.Lease;
import io.roundhouse.net.Relay;
import io.roundhouse.net.Sockets;
import io.roundhouse.net.Splice;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunnels WebSocket upgrades to ws-service backends over plain TCP connections of their own: no
 * HTTP pool stands between a client and its tunnel, so tunnels are bounded only by what we
 * configure. Per upgrade: dial a backend, write the upgrade request ({@link BackendHandshake}),
 * relay a refusal as is, or on 101 switch the client's connection to a raw socket and {@link
 * Splice} the two, zero-copy and with backpressure both ways. Either side may close at any point;
 * the other is then closed and the backend's count released, exactly once.
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

  private final Vertx vertx;
  private final LbConfig config;
  private final BackendConnector connector;
  private final NetClient outboundClient;
  private final FrontendCounters counters;
  private final GatewayErrors errors;

  WebSocketTunnel(
      Vertx vertx,
      LbConfig config,
      BackendConnector connector,
      NetClient outboundClient,
      FrontendCounters counters,
      GatewayErrors errors) {
    this.vertx = vertx;
    this.config = config;
    this.connector = connector;
    this.outboundClient = outboundClient;
    this.counters = counters;
    this.errors = errors;
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
    private Lease<NetSocket> lease;

    Upgrade(HttpServerRequest inbound) {
      this.inbound = inbound;
    }

    void start() {
      inbound.pause();
      inbound.response().closeHandler(v -> onInboundClosed());
      connector
          .connect(
              ServiceInstance.WS,
              backend ->
                  outboundClient.connect(backend.instance().port(), backend.instance().host()))
          .onComplete(
              dialled -> {
                if (dialled.succeeded()) {
                  onDialled(dialled.result());
                } else {
                  fail(dialled.cause());
                }
              });
    }

    private void onDialled(Lease<NetSocket> dialled) {
      lease = dialled;
      if (state == State.ENDED) {
        end();
        return;
      }
      state = State.AWAITING_ANSWER;
      BackendHandshake.perform(
              vertx,
              (NetSocketInternal) dialled.value(),
              upgradeRequest(inbound),
              config.backendTimeout())
          .onComplete(
              answer -> {
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
              });
    }

    private void switchProtocols(UpgradeAnswer answer) {
      state = State.SWITCHING;
      lease.value().closeHandler(v -> onOutboundClosedWhileSwitching());
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
                  splice(switched.result(), answer.outboundReader());
                }
              });
    }

    private void splice(NetSocket inboundSocket, Relay outboundReader) {
      NetSocket outbound = lease.value();
      if (!Sockets.isOpen(inboundSocket) || !Sockets.isOpen(outbound)) {
        // A side closed while the pipeline was being switched: its close was not reported.
        inboundSocket.close();
        end();
        return;
      }
      state = State.SPLICED;
      counters.webSocket().opened();
      Sockets.setIdleTimeout(inboundSocket, config.tunnelIdleTimeout());
      Splice.start(inboundSocket, Relay.hold(inboundSocket), outbound, outboundReader)
          .closed()
          .onComplete(
              closed -> {
                counters.webSocket().closed();
                end();
              });
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

    private void onOutboundClosedWhileSwitching() {
      if (state == State.SWITCHING) {
        end();
        inbound.connection().close();
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

    /** Closes the backend connection, if any, and releases its count; safe to call again. */
    private void end() {
      state = State.ENDED;
      if (lease != null) {
        lease.value().close();
        lease.release();
      }
    }
  }
}
