package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.conn.Kind;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.lb.conn.ShedReason;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shedding WebSocket tunnels through the real HTTP frontend, between Vert.x WebSocket peers that
 * check every message they get ({@link WsPeer}): 100 kB messages streamed either way (two frames
 * each, so boundaries between fragments are crossed too) are cut only between messages, both sides
 * get a close frame, and every channel and count is given back, also for a client that stopped
 * reading.
 */
class TunnelShedFrontendTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  /** The balancer's bound on a shed tunnel's close handshakes, short for the frozen client. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private static Frontends frontends;
  private static final BlockingQueue<WsPeer> origins = new LinkedBlockingQueue<>();
  private WebSocketClient client;

  @BeforeAll
  static void start() {
    // No write-stall guard: only the shed's own bound may end a frozen client's tunnel.
    frontends =
        new Frontends(
            Map.of("LB_HEALTH_CHECKS", "false", "LB_CLIENT_WRITE_TIMEOUT", "0s"),
            null,
            CLOSE_TIMEOUT);
    int port =
        frontends.httpOrigin(
            req ->
                req.toWebSocket()
                    .onSuccess(
                        ws -> {
                          WsPeer peer = new WsPeer(ws);
                          if (req.path().equals("/stream")) {
                            peer.stream();
                          }
                          origins.add(peer);
                        }));
    frontends.backendUp("ws-1", ServiceInstance.WS, port);
  }

  @AfterAll
  static void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  @AfterEach
  void closeClient() {
    origins.clear();
    if (client != null) {
      client.close().timeout(10, TimeUnit.SECONDS).await();
    }
  }

  /** A client through the balancer; the returned peer is its side, once the origin has one. */
  private WsPeer connect(String path, boolean stream) throws Exception {
    client = frontends.origins.createWebSocketClient();
    Promise<WsPeer> peer = Promise.promise();
    client
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(frontends.httpPort())
                .setURI(path))
        .onSuccess(
            ws -> {
              WsPeer side = new WsPeer(ws);
              if (stream) {
                side.stream();
              }
              peer.complete(side);
            })
        .onFailure(peer::fail);
    return peer.future().timeout(BOUND.toSeconds(), TimeUnit.SECONDS).await();
  }

  private static WsPeer origin() throws InterruptedException {
    WsPeer origin = origins.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(origin).as("the origin's side of the tunnel").isNotNull();
    return origin;
  }

  private static LiveConnection tunnel(int clientPort) {
    Eventually.until("the tunnel is listed", () -> find(clientPort) != null);
    return find(clientPort);
  }

  private static LiveConnection find(int clientPort) {
    return frontends.counters.connections().snapshot().stream()
        .filter(c -> c.kind() == Kind.WEBSOCKET && c.client().getPort() == clientPort)
        .filter(c -> c.outboundLocal() != null)
        .findFirst()
        .orElse(null);
  }

  private static boolean shed(LiveConnection tunnel, ShedReason reason) {
    return tunnel.shed(reason, Duration.ZERO).timeout(10, TimeUnit.SECONDS).await();
  }

  private static void awaitAllGivenBack(int clientPort) {
    Eventually.until(
        BOUND,
        "both channels closed: the tunnel forgotten, its counts and the backend's lease released",
        () ->
            find(clientPort) == null
                && frontends.counters.webSocket().active() == 0
                && frontends.active(ServiceInstance.WS, "ws-1") == 0,
        () ->
            "websockets "
                + frontends.counters.webSocket().active()
                + ", backend active "
                + frontends.active(ServiceInstance.WS, "ws-1"));
  }

  @Test
  void shouldGiveTheClientOnlyWholeMessagesThenRebalancingWhenAStreamingTunnelIsShed()
      throws Exception {
    WsPeer client = connect("/stream", false);
    WsPeer origin = origin();
    int clientPort = client.socket().localAddress().port();
    Eventually.until("the client is getting messages", () -> client.messages() >= 5);

    assertThat(shed(tunnel(clientPort), ShedReason.REBALANCE)).as("shed").isTrue();

    WsPeer.Closed toClient = client.closed().timeout(BOUND.toSeconds(), TimeUnit.SECONDS).await();
    assertThat(toClient.code()).isEqualTo((short) 1012);
    assertThat(toClient.reason()).isEqualTo("rebalancing");
    assertThat(toClient.partialBytes()).as("bytes of a message cut short").isZero();
    assertThat(client.errors()).as("messages that were not whole and intact").isEmpty();
    WsPeer.Closed toOrigin = origin.closed().timeout(BOUND.toSeconds(), TimeUnit.SECONDS).await();
    assertThat(toOrigin.code())
        .as("the origin is told its client is going away")
        .isEqualTo((short) 1001);
    awaitAllGivenBack(clientPort);
  }

  @Test
  void shouldGiveTheOriginOnlyWholeMessagesThenACloseWhenTheClientStreamsDuringTheShed()
      throws Exception {
    WsPeer client = connect("/sink", true);
    WsPeer origin = origin();
    int clientPort = client.socket().localAddress().port();
    Eventually.until("the origin is getting messages", () -> origin.messages() >= 5);

    assertThat(shed(tunnel(clientPort), ShedReason.REBALANCE)).as("shed").isTrue();

    WsPeer.Closed toOrigin = origin.closed().timeout(BOUND.toSeconds(), TimeUnit.SECONDS).await();
    assertThat(toOrigin.code()).isEqualTo((short) 1001);
    assertThat(toOrigin.partialBytes()).as("bytes of a message cut short").isZero();
    assertThat(origin.errors()).as("messages that were not whole and intact").isEmpty();
    WsPeer.Closed toClient = client.closed().timeout(BOUND.toSeconds(), TimeUnit.SECONDS).await();
    assertThat(toClient.code()).isEqualTo((short) 1012);
    awaitAllGivenBack(clientPort);
  }

  @Test
  void shouldTellTheClientGoingAwayWhenATunnelIsShedForADrain() throws Exception {
    WsPeer client = connect("/quiet", false);
    origin();
    int clientPort = client.socket().localAddress().port();
    LiveConnection tunnel = tunnel(clientPort);

    Future<Boolean> first = tunnel.shed(ShedReason.DRAIN, Duration.ZERO);
    Future<Boolean> second = tunnel.shed(ShedReason.REBALANCE, Duration.ZERO);
    assertThat(first.timeout(10, TimeUnit.SECONDS).await()).as("shed").isTrue();
    // True while the first is under way, false once the tunnel is gone: either way it changes
    // nothing, the client is told the first reason.
    assertThat(second.timeout(10, TimeUnit.SECONDS).await()).as("shed again").isNotNull();
    WsPeer.Closed toClient = client.closed().timeout(BOUND.toSeconds(), TimeUnit.SECONDS).await();
    assertThat(toClient.code()).isEqualTo((short) 1001);
    assertThat(toClient.reason()).isEqualTo("going away");
    awaitAllGivenBack(clientPort);
    assertThat(shed(tunnel, ShedReason.DRAIN)).as("shed once it is gone").isFalse();
  }

  @Test
  void shouldCloseAFrozenClientsTunnelWithinTheCloseTimeoutWhenShed() throws Exception {
    try (Socket frozen = new Socket()) {
      frozen.setReceiveBufferSize(4096);
      frozen.connect(new InetSocketAddress("127.0.0.1", frontends.httpPort()));
      OutputStream out = frozen.getOutputStream();
      out.write(
          ("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      frozen.setSoTimeout((int) BOUND.toMillis());
      InputStream in = frozen.getInputStream();
      assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 101");
      WsPeer origin = origin();
      // From here the client reads nothing: every buffer between it and the origin fills up.
      Eventually.until("the origin is held back by the frozen client", origin::heldBack);
      LiveConnection tunnel = tunnel(frozen.getLocalPort());

      assertThat(shed(tunnel, ShedReason.REBALANCE)).as("shed").isTrue();

      awaitAllGivenBack(frozen.getLocalPort());
      byte[] sink = new byte[64 * 1024];
      try {
        while (in.read(sink) != -1) {
          // What was in flight; the stream then ends.
        }
      } catch (java.net.SocketException reset) {
        // Closed with bytes it never read: a reset is a fair end too.
      }
    }
  }
}
