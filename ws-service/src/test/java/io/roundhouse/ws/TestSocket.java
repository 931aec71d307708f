package io.roundhouse.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for tests: queues whole messages as they arrive and the close status. */
final class TestSocket implements AutoCloseable {

  static final long WAIT_SECONDS = 15;
  static final int DEFAULT_FRAME_SIZE = 65_536;

  private final WebSocketClient client;
  private final ClientWebSocket ws;
  private final BlockingQueue<WsMessage> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  private TestSocket(WebSocketClient client) {
    this.client = client;
    this.ws = client.webSocket();
    // Handlers go on before connecting, so not even the first frame can be missed.
    ws.textMessageHandler(t -> inbox.add(new WsMessage(Buffer.buffer(t), true)));
    ws.binaryMessageHandler(b -> inbox.add(new WsMessage(b, false)));
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  static TestSocket connect(Vertx vertx, int port, String uri) throws Exception {
    return connect(vertx, port, uri, DEFAULT_FRAME_SIZE);
  }

  /** Connects to 127.0.0.1; messages longer than {@code maxFrameSize} go out in several frames. */
  static TestSocket connect(Vertx vertx, int port, String uri, int maxFrameSize) throws Exception {
    WebSocketClientOptions options =
        new WebSocketClientOptions().setMaxFrameSize(maxFrameSize).setMaxMessageSize(16 << 20);
    TestSocket socket = new TestSocket(vertx.createWebSocketClient(options));
    try {
      socket
          .ws
          .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
          .await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.client.close();
      throw e;
    }
    return socket;
  }

  /** The next whole message; fails the test if none arrives in time. */
  WsMessage next() throws InterruptedException {
    WsMessage message = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(message).as("a message within %d s", WAIT_SECONDS).isNotNull();
    return message;
  }

  String nextText() throws InterruptedException {
    WsMessage message = next();
    assertThat(message.text()).as("a text message").isTrue();
    return message.data().toString(StandardCharsets.UTF_8);
  }

  /** The next text message other than {@code skipped}. */
  String nextTextSkipping(String skipped) throws InterruptedException {
    String text;
    do {
      text = nextText();
    } while (text.equals(skipped));
    return text;
  }

  /** The next text message if one arrives within {@code millis}, else null. */
  String poll(long millis) throws InterruptedException {
    WsMessage message = inbox.poll(millis, TimeUnit.MILLISECONDS);
    if (message == null) {
      return null;
    }
    assertThat(message.text()).as("a text message").isTrue();
    return message.data().toString(StandardCharsets.UTF_8);
  }

  JsonObject nextJson() throws InterruptedException {
    return new JsonObject(nextText());
  }

  Buffer nextBinary() throws InterruptedException {
    WsMessage message = next();
    assertThat(message.text()).as("a binary message").isFalse();
    return message.data();
  }

  void sendText(String text) throws Exception {
    ws.writeTextMessage(text).await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  void sendBinary(Buffer data) throws Exception {
    ws.writeBinaryMessage(data).await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Stops reading: the server's writes back up into the TCP buffers and its write queue. */
  void pause() {
    ws.pause();
  }

  void resume() {
    ws.resume();
  }

  /** The status code of the close, once the socket has closed. */
  short awaitClose() throws Exception {
    return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    client.close();
  }
}
