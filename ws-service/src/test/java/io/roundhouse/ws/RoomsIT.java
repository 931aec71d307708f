package io.roundhouse.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two real cluster members in one JVM, each running ws-service: rooms span both. */
@ExtendWith(VertxExtension.class)
class RoomsIT {

  private static ClusterNode nodeA;
  private static ClusterNode nodeB;
  private static WsService serviceA;
  private static WsService serviceB;
  private static Vertx clients;

  @BeforeAll
  static void startTwoNodes(Vertx vertx) {
    clients = vertx;
    TestCluster cluster = TestCluster.create();
    nodeA = cluster.join("ws-a");
    nodeB = cluster.join("ws-b");
    serviceA = WsService.start(nodeA, TestConfigs.ws("ws-a", cluster.config())).await();
    serviceB = WsService.start(nodeB, TestConfigs.ws("ws-b", cluster.config())).await();
  }

  @AfterAll
  static void stopTwoNodes() {
    for (WsService service : new WsService[] {serviceA, serviceB}) {
      if (service != null) {
        service.stop().await();
      }
    }
    for (ClusterNode node : new ClusterNode[] {nodeA, nodeB}) {
      if (node != null) {
        node.close().await();
      }
    }
  }

  @Test
  void shouldDeliverToMembersOnBothNodesWhenClientOnNodeASends() throws Exception {
    byte[] bytes = new byte[40_000]; // several 16 KB frames
    new Random(7).nextBytes(bytes);
    Buffer binary = Buffer.buffer(bytes);
    try (TestSocket sender = join(serviceA, "lobby", "ws-a");
        TestSocket sameNode = join(serviceA, "lobby", "ws-a");
        TestSocket otherNode = join(serviceB, "lobby", "ws-b")) {
      sender.sendText("hello 👋");
      sender.sendBinary(binary);

      for (TestSocket member : List.of(sender, sameNode, otherNode)) {
        assertThat(member.nextText()).isEqualTo("hello 👋");
        assertThat(member.nextBinary()).isEqualTo(binary);
      }
    }
  }

  @Test
  void shouldDeliverToNodeAWhenClientOnNodeBSends() throws Exception {
    try (TestSocket onA = join(serviceA, "from-b", "ws-a");
        TestSocket sender = join(serviceB, "from-b", "ws-b")) {
      sender.sendText("from b");
      sender.sendBinary(Buffer.buffer("not text"));

      for (TestSocket member : List.of(onA, sender)) {
        assertThat(member.nextText()).isEqualTo("from b");
        assertThat(member.nextBinary()).isEqualTo(Buffer.buffer("not text"));
      }
    }
  }

  @Test
  void shouldNotDeliverToOtherRoomsWhenMemberSends() throws Exception {
    try (TestSocket red = join(serviceA, "red", "ws-a");
        TestSocket blue = join(serviceB, "blue", "ws-b")) {
      red.sendText("for red only");
      assertThat(red.nextText()).isEqualTo("for red only");
      blue.sendText("for blue only");

      // Had the red message leaked into blue, it would arrive first.
      assertThat(blue.nextText()).isEqualTo("for blue only");
    }
  }

  @Test
  void shouldDeliverToNewMemberWhenRoomEmptiedAndRefilledOnOtherNode() throws Exception {
    try (TestSocket sender = join(serviceA, "refill", "ws-a")) {
      try (TestSocket first = join(serviceB, "refill", "ws-b")) {
        sender.sendText("one");
        assertThat(first.nextText()).isEqualTo("one");
        assertThat(sender.nextText()).isEqualTo("one");
      }
      TestConfigs.awaitActive(serviceB.counter(), 0);
      try (TestSocket second = join(serviceB, "refill", "ws-b")) {
        // Node A learns of B's new subscription asynchronously: send until it gets through.
        String got = null;
        for (int i = 0; i < 200 && got == null; i++) {
          sender.sendText("probe");
          assertThat(sender.nextText()).isEqualTo("probe");
          got = second.poll(50);
        }
        assertThat(got).isEqualTo("probe");
        sender.sendText("two");
        assertThat(second.nextTextSkipping("probe")).isEqualTo("two");
      }
    }
  }

  private static TestSocket join(WsService service, String room, String node) throws Exception {
    TestSocket socket = TestSocket.connect(clients, service.port(), "/ws/room/" + room, 16_384);
    assertThat(socket.nextJson())
        .isEqualTo(new JsonObject().put("type", "welcome").put("node", node).put("room", room));
    return socket;
  }
}
