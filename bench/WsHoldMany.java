import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One of the client processes of bench/ws-50k.sh: opens COUNT WebSockets to 127.0.0.1:PORT from
 * the source address SOURCE (so the processes together stay within each address's ephemeral
 * ports), reports when all are held, echoes once on each when DIR/echo appears, and closes them
 * when DIR/close appears. Bounded: every wait has a deadline.
 *
 * <pre>java -cp ws-service-all.jar bench/WsHoldMany.java PORT COUNT SOURCE DIR NAME</pre>
 */
public class WsHoldMany {

  private static final int AT_ONCE = 250;
  private static final long WAIT_S = 600;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    String source = args[2];
    Path dir = Path.of(args[3]);
    String name = args[4];

    Vertx vertx = Vertx.vertx();
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(count * 2)
                .setLocalAddress(source)
                .setConnectTimeout(30_000));
    List<ClientWebSocket> sockets = new ArrayList<>();
    List<Future<String>> echoes = new ArrayList<>();
    Map<String, Integer> perNode = new TreeMap<>();
    long started = System.nanoTime();
    while (sockets.size() < count) {
      List<Future<String>> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(AT_ONCE, count - sockets.size()); i++) {
        ClientWebSocket socket = client.webSocket();
        Promise<String> welcome = Promise.promise();
        Promise<String> echo = Promise.promise();
        socket.handler(
            frame -> {
              if (!welcome.future().isComplete()) {
                welcome.complete(new JsonObject(frame).getString("node"));
              } else {
                echo.tryComplete(frame.toString());
              }
            });
        batch.add(
            socket
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI("/ws"))
                .compose(v -> welcome.future()));
        sockets.add(socket);
        echoes.add(echo.future());
      }
      Future.all(batch).timeout(120, TimeUnit.SECONDS).await();
      batch.forEach(f -> perNode.merge(f.result(), 1, Integer::sum));
    }
    double openSeconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("%s held %d from %s in %.1f s: %s%n", name, count, source, openSeconds, perNode);
    Files.writeString(dir.resolve(name + ".held"), String.format("%d %.1f%n", count, openSeconds));

    await(dir.resolve("echo"));
    for (int i = 0; i < sockets.size(); i++) {
      sockets.get(i).writeTextMessage(name + " echo " + i);
    }
    int echoed = 0;
    for (int i = 0; i < sockets.size(); i++) {
      String back = echoes.get(i).timeout(120, TimeUnit.SECONDS).await();
      if (!back.equals(name + " echo " + i)) {
        throw new IllegalStateException("socket " + i + " echoed " + back);
      }
      echoed++;
    }
    System.out.printf("%s echoed %d%n", name, echoed);
    Files.writeString(dir.resolve(name + ".echoed"), echoed + "\n");

    await(dir.resolve("close"));
    Future.join(sockets.stream().map(ClientWebSocket::close).toList())
        .timeout(120, TimeUnit.SECONDS)
        .await();
    vertx.close().await();
    System.exit(echoed == count ? 0 : 1);
  }

  private static void await(Path signal) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!Files.exists(signal)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + signal + " within " + WAIT_S + " s");
      }
      Thread.sleep(100);
    }
  }
}
