package io.roundhouse.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.testing.PrometheusText;
import io.roundhouse.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One real cluster member running ws-service; clients over real sockets on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
class WsServiceIT {

  private static final String NODE_ID = "ws-it-1";

  private static ClusterNode node;
  private static WsService service;
  private static Vertx clients;

  @BeforeAll
  static void startService(Vertx vertx) {
    clients = vertx;
    TestCluster cluster = TestCluster.create();
    node = cluster.join(NODE_ID, "ws");
    service = WsService.start(node, TestConfigs.ws(NODE_ID, cluster.config())).await();
  }

  @AfterAll
  static void stopService() {
    try {
      if (service != null) {
        service.stop().await();
      }
    } finally {
      if (node != null) {
        node.close().await();
      }
    }
  }

  @Test
  void shouldSendWelcomeWithNodeIdWhenEchoSocketOpens() throws Exception {
    try (TestSocket socket = TestSocket.connect(clients, service.port(), "/ws")) {
      JsonObject welcome = socket.nextJson();

      assertThat(welcome).isEqualTo(new JsonObject().put("type", "welcome").put("node", NODE_ID));
    }
  }

  @Test
  void shouldEchoTextUnchangedWhenClientSendsText() throws Exception {
    String large = "0123456789abcdef€✓".repeat(2_000); // ~40 KB: several 16 KB frames
    List<String> sent = List.of("hello", "ünïcødé ✓ 👋", "", large);
    try (TestSocket socket =
        TestSocket.connect(clients, service.port(), "/ws", TestConfigs.MAX_FRAME_SIZE)) {
      socket.nextJson();
      for (String text : sent) {
        socket.sendText(text);
      }
      for (String text : sent) {
        assertThat(socket.nextText()).isEqualTo(text);
      }
    }
  }

  @Test
  void shouldEchoBinaryUnchangedWhenClientSendsRandomBytesAcrossMessages() throws Exception {
    Random random = new Random(42);
    byte[] all = new byte[300_000];
    random.nextBytes(all);
    List<Buffer> chunks = new ArrayList<>();
    for (int offset = 0; offset < all.length; ) {
      int size = Math.min(all.length - offset, 1 + random.nextInt(TestConfigs.MAX_MESSAGE_SIZE));
      chunks.add(Buffer.buffer().appendBytes(all, offset, size));
      offset += size;
    }
    try (TestSocket socket =
        TestSocket.connect(clients, service.port(), "/ws", TestConfigs.MAX_FRAME_SIZE)) {
      socket.nextJson();
      for (Buffer chunk : chunks) {
        socket.sendBinary(chunk);
      }
      Buffer echoed = Buffer.buffer();
      for (Buffer chunk : chunks) {
        Buffer back = socket.nextBinary();
        assertThat(back.length()).isEqualTo(chunk.length());
        echoed.appendBuffer(back);
      }
      assertThat(echoed.getBytes()).isEqualTo(all);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ws", "/ws/room/oversize"})
  void shouldCloseWith1009AndKeepServingWhenMessageExceedsMaxMessageSize(String path)
      throws Exception {
    try (TestSocket socket =
        TestSocket.connect(clients, service.port(), path, TestConfigs.MAX_FRAME_SIZE)) {
      socket.nextJson();
      socket.sendBinary(Buffer.buffer(new byte[TestConfigs.MAX_MESSAGE_SIZE + 1]));

      assertThat(socket.awaitClose()).isEqualTo((short) 1009);
    }
    assertStillEchoes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ws", "/ws/room/oversize"})
  void shouldCloseWith1009AndKeepServingWhenFrameExceedsMaxFrameSize(String path) throws Exception {
    // The client sends the whole message as one frame, over the server's frame limit.
    try (TestSocket socket =
        TestSocket.connect(clients, service.port(), path, TestConfigs.MAX_MESSAGE_SIZE)) {
      socket.nextJson();
      socket.sendBinary(Buffer.buffer(new byte[TestConfigs.MAX_FRAME_SIZE + 1]));

      assertThat(socket.awaitClose()).isEqualTo((short) 1009);
    }
    assertStillEchoes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad.name", "sp%20ace", "sl%2Fash", "x%00", "ü"})
  void shouldAnswer400WhenRoomNameIsInvalid(String name) throws Exception {
    TestHttp.Response response = TestHttp.get(service.port(), "/ws/room/" + name);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("room name");
  }

  @Test
  void shouldRejectUpgradeWith400WhenRoomNameIsTooLong() {
    String name = "a".repeat(65);

    assertThatThrownBy(() -> TestSocket.connect(clients, service.port(), "/ws/room/" + name))
        .isInstanceOfSatisfying(
            UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(400));
  }

  @Test
  void shouldAnswer404WhenPathIsUnknown() throws Exception {
    assertThat(TestHttp.get(service.port(), "/nope").status()).isEqualTo(404);
    assertThat(TestHttp.get(service.port(), "/ws/room/a/b").status()).isEqualTo(404);
  }

  @Test
  void shouldAnswer400WhenWsIsRequestedWithoutUpgrade() throws Exception {
    assertThat(TestHttp.get(service.port(), "/ws").status()).isEqualTo(400);
  }

  @Test
  void shouldCountWebSocketsWhenInfoIsRequested() throws Exception {
    TestConfigs.awaitActive(service.counter(), 0);
    long totalBefore = service.counter().total();
    try (TestSocket a = TestSocket.connect(clients, service.port(), "/ws");
        TestSocket b = TestSocket.connect(clients, service.port(), "/ws/room/info-test")) {
      a.nextJson();
      b.nextJson();

      JsonObject info = TestHttp.get(service.port(), "/info").json();

      assertThat(info.getString("node")).isEqualTo(NODE_ID);
      assertThat(info.getString("service")).isEqualTo("ws");
      assertThat(info.getLong("activeConnections")).isEqualTo(2L);
      assertThat(info.getLong("totalConnections")).isEqualTo(totalBefore + 2);
    }
    TestConfigs.awaitActive(service.counter(), 0);
    assertThat(TestHttp.get(service.port(), "/info").json().getLong("activeConnections")).isZero();
  }

  @Test
  void shouldReportUpWhenHealthIsRequestedOnRegisteredNode() throws Exception {
    TestHttp.Response ready = TestHttp.get(service.port(), "/health/ready");
    TestHttp.Response live = TestHttp.get(service.port(), "/health/live");

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("UP");
    assertThat(ready.json().getJsonArray("checks").getJsonObject(0).getString("id"))
        .isEqualTo("serving");
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().getString("status")).isEqualTo("UP");
  }

  @Test
  void shouldExposeConnectionMetricsWhenWebSocketsAreOpen() throws Exception {
    Map<String, String> labels = Map.of("node", NODE_ID, "service", "ws", "protocol", "websocket");
    double totalBefore = scrape("roundhouse_connections_total", labels);
    try (TestSocket a = TestSocket.connect(clients, service.port(), "/ws");
        TestSocket b = TestSocket.connect(clients, service.port(), "/ws")) {
      a.nextJson();
      b.nextJson();

      assertThat(scrape("roundhouse_connections_active", labels)).isEqualTo(2.0);
      assertThat(scrape("roundhouse_connections_total", labels)).isEqualTo(totalBefore + 2);
      assertThat(TestHttp.get(service.port(), "/metrics").body())
          .contains("process_files_open_files", "jvm_memory_used_bytes");
    }
    TestConfigs.awaitActive(service.counter(), 0);
    assertThat(scrape("roundhouse_connections_active", labels)).isZero();
  }

  private static double scrape(String name, Map<String, String> labels) throws Exception {
    TestHttp.Response metrics = TestHttp.get(service.port(), "/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    return PrometheusText.value(metrics.body(), name, labels)
        .orElseThrow(() -> new AssertionError(name + labels + " not in " + metrics.body()));
  }

  private static void assertStillEchoes() throws Exception {
    try (TestSocket socket = TestSocket.connect(clients, service.port(), "/ws")) {
      socket.nextJson();
      socket.sendText("still here");
      assertThat(socket.nextText()).isEqualTo("still here");
    }
  }
}
