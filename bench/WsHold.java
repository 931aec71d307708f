import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Holds N WebSocket tunnels through one balancer and reports what they cost it: opens them at a
 * bounded rate, echoes once on each, reads the balancer's RSS and fds while they are held, closes
 * them all and reads the fds again. Run by bench/ws-hold.sh with a Vert.x jar on the class path:
 *
 * <pre>java -cp ws-service-all.jar bench/WsHold.java PORT ADMIN_PORT LB_PID COUNT</pre>
 *
 * Prints one Markdown table row; exits non-zero if any tunnel failed to open or echo.
 */
public class WsHold {

  private static final HttpClient ADMIN = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int adminPort = Integer.parseInt(args[1]);
    long pid = Long.parseLong(args[2]);
    int count = Integer.parseInt(args[3]);
    int atOnce = 200;

    Vertx vertx = Vertx.vertx();
    WebSocketClient client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count * 2));
    long rssBefore = rssKb(pid);
    long fdsBefore = fds(pid);

    List<ClientWebSocket> sockets = new ArrayList<>();
    List<Future<String>> echoes = new ArrayList<>();
    Map<String, Integer> perNode = new TreeMap<>();
    long started = System.nanoTime();
    while (sockets.size() < count) {
      List<Future<String>> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(atOnce, count - sockets.size()); i++) {
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
    for (int i = 0; i < sockets.size(); i++) {
      sockets.get(i).writeTextMessage("echo " + i);
    }
    for (int i = 0; i < sockets.size(); i++) {
      String back = echoes.get(i).timeout(60, TimeUnit.SECONDS).await();
      if (!back.equals("echo " + i)) {
        throw new IllegalStateException("tunnel " + i + " echoed " + back);
      }
    }
    long held = activeTunnels(adminPort);
    long rssHeld = rssKb(pid);
    long fdsHeld = fds(pid);

    Future.join(sockets.stream().map(ClientWebSocket::close).toList())
        .timeout(120, TimeUnit.SECONDS)
        .await();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (activeTunnels(adminPort) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    long fdsAfter = fds(pid);
    vertx.close().await();

    System.out.printf(
        "| %d | %d | %.1f s | %s | %d → %d → %d | %d → %d MiB | %.1f kB |%n",
        count,
        held,
        openSeconds,
        perNode,
        fdsBefore,
        fdsHeld,
        fdsAfter,
        rssBefore / 1024,
        rssHeld / 1024,
        (rssHeld - rssBefore) / (double) count);
    System.exit(held == count ? 0 : 1);
  }

  private static long activeTunnels(int adminPort) throws Exception {
    HttpResponse<String> r =
        ADMIN.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/api/frontends"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getJsonObject("webSocket").getLong("active");
  }

  private static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  private static long fds(long pid) throws Exception {
    try (var list = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return list.count();
    }
  }
}
