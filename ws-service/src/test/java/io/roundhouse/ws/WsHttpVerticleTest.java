package io.roundhouse.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.metrics.MetricsConfig;
import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.runtime.Readiness;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One listener verticle on a plain (non-clustered) Vert.x, over real sockets: what the cluster
 * tests cannot see from outside, such as a room's consumer going away with its last member.
 */
@ExtendWith(VertxExtension.class)
class WsHttpVerticleTest {

  private static final int FRAME = 4_096;
  private static final int MESSAGE = 8_192;

  private final ConnectionCounter counter = new ConnectionCounter();
  private final AtomicBoolean memberRunning = new AtomicBoolean(true);
  private final Readiness readiness =
      new Readiness(memberRunning::get, "not registered in the cluster yet");
  private Vertx vertx;
  private WsHttpVerticle verticle;
  private String deploymentId;
  private int port;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    WsConfig config =
        new WsConfig(
            "solo",
            "127.0.0.1",
            "127.0.0.1",
            0,
            1,
            Duration.ofMinutes(1),
            FRAME,
            MESSAGE,
            Duration.ofSeconds(1),
            MetricsConfig.DEFAULT,
            ClusterConfig.local("unused", 5701, 1));
    verticle =
        new WsHttpVerticle(config, 0, "solo", counter, readiness, NodeMetrics.create("solo", "ws"));
    deploymentId = vertx.deployVerticle(verticle).await();
    port = verticle.actualPort();
  }

  @AfterEach
  void undeploy() {
    vertx.undeploy(deploymentId).await();
  }

  @Test
  void shouldUnregisterRoomWhenLastLocalMemberLeaves() throws Exception {
    TestSocket first = TestSocket.connect(vertx, port, "/ws/room/r1");
    TestSocket second = TestSocket.connect(vertx, port, "/ws/room/r1");
    first.nextJson();
    second.nextJson();
    assertThat(verticle.openRooms().await()).containsExactly("r1");

    first.close();
    TestConfigs.awaitActive(counter, 1);
    assertThat(verticle.openRooms().await()).containsExactly("r1");

    second.close();
    TestConfigs.awaitActive(counter, 0);
    assertThat(verticle.openRooms().await()).isEmpty();
  }

  @Test
  void shouldFreeRoomAndConnectionWhenPeerVanishesWithoutClosing() throws Exception {
    RawWebSocket raw = RawWebSocket.open(vertx, port, "/ws/room/vanish");
    assertThat(counter.active()).isEqualTo(1);
    assertThat(verticle.openRooms().await()).containsExactly("vanish");

    raw.close(); // a reset: no WebSocket close

    TestConfigs.awaitActive(counter, 0);
    assertThat(verticle.openRooms().await()).isEmpty();
  }

  @Test
  void shouldCloseWith1007AndKeepServingWhenTextIsNotUtf8() throws Exception {
    try (RawWebSocket raw = RawWebSocket.open(vertx, port, "/ws")) {
      raw.sendFrame(RawWebSocket.TEXT, true, new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});

      assertThat(raw.awaitCloseStatus()).isEqualTo((short) 1007);
    }
    assertStillEchoes();
  }

  @Test
  void shouldCloseWith1002AndKeepServingWhenContinuationHasNoStart() throws Exception {
    try (RawWebSocket raw = RawWebSocket.open(vertx, port, "/ws")) {
      raw.sendFrame(RawWebSocket.CONTINUATION, true, "orphan".getBytes(StandardCharsets.UTF_8));

      assertThat(raw.awaitCloseStatus()).isEqualTo((short) 1002);
    }
    assertStillEchoes();
  }

  @Test
  void shouldCloseRoomMemberWith1013WhenItsWriteQueueFills() throws Exception {
    try (TestSocket slow = TestSocket.connect(vertx, port, "/ws/room/flood")) {
      slow.nextJson();
      slow.pause();
      DeliveryOptions binary = new DeliveryOptions().addHeader(Rooms.KIND_HEADER, "binary");
      // Bounded: the socket buffers of a loopback connection hold a few MB at most.
      for (int sent = 0; sent < 20_000 && !verticle.openRooms().await().isEmpty(); sent += 50) {
        for (int i = 0; i < 50; i++) {
          vertx
              .eventBus()
              .publish(Rooms.ADDRESS_PREFIX + "flood", Buffer.buffer(new byte[MESSAGE]), binary);
        }
      }
      assertThat(verticle.openRooms().await()).as("the slow member was dropped").isEmpty();

      slow.resume();
      assertThat(slow.awaitClose()).isEqualTo(Rooms.TRY_AGAIN_LATER);
    }
    try (TestSocket fresh = TestSocket.connect(vertx, port, "/ws/room/flood")) {
      fresh.nextJson();
      fresh.sendText("alive");
      assertThat(fresh.nextText()).isEqualTo("alive");
    }
  }

  @Test
  void shouldReportReadyOnlyWhileRegisteredAndNotStopping() throws Exception {
    TestHttp.Response before = TestHttp.get(port, "/health/ready");
    assertThat(before.status()).isEqualTo(503);
    assertThat(before.json().getString("status")).isEqualTo("DOWN");

    readiness.serving();
    TestHttp.Response registered = TestHttp.get(port, "/health/ready");
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.json().getString("status")).isEqualTo("UP");

    readiness.stopping();
    TestHttp.Response stopping = TestHttp.get(port, "/health/ready");
    assertThat(stopping.status()).isEqualTo(503);
    assertThat(stopping.body()).contains("stopping");

    TestHttp.Response live = TestHttp.get(port, "/health/live");
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().getString("status")).isEqualTo("UP");
  }

  private void assertStillEchoes() throws Exception {
    try (TestSocket socket = TestSocket.connect(vertx, port, "/ws")) {
      socket.nextJson();
      socket.sendText("still here");
      assertThat(socket.nextText()).isEqualTo("still here");
    }
    TestConfigs.awaitActive(counter, 0);
  }
}
