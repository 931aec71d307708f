import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plain TCP port relays, for bench/fault.sh's partitioned backend: it runs in a network namespace
 * of its own, where 127.0.0.1 is not the host's, yet its Hazelcast member and event bus must look
 * like every other local member's (127.0.0.1, the only interface the others bind to). One relay
 * runs on each side of the namespace's veth pair, so the bytes between the two loopbacks cross the
 * veth, which is what the script cuts. Run with a Vert.x jar on the class path:
 *
 * <pre>java -cp echo-service-all.jar bench/FaultRelay.java LISTEN=TARGET...</pre>
 *
 * where each rule is {@code host:port=host[:port]} or {@code host:first-last=host} (the same ports
 * on the target). Prints "relay ready" once every port listens; exits 1 if one cannot be bound.
 * Stops on SIGTERM.
 */
public class FaultRelay {

  record Rule(String listenHost, int listenPort, String targetHost, int targetPort) {}

  public static void main(String[] args) {
    List<Rule> rules = new ArrayList<>();
    for (String arg : args) {
      rules.addAll(parse(arg));
    }
    if (rules.isEmpty()) {
      System.err.println("usage: FaultRelay host:port=host[:port] | host:first-last=host ...");
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    NetClient client =
        vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true));
    List<Future<?>> listening = new ArrayList<>();
    for (Rule rule : rules) {
      listening.add(
          vertx
              .createNetServer(
                  new NetServerOptions()
                      .setHost(rule.listenHost())
                      .setPort(rule.listenPort())
                      .setTcpNoDelay(true))
              .connectHandler(in -> relay(client, in, rule))
              .listen());
    }
    try {
      Future.all(listening).timeout(30, TimeUnit.SECONDS).await();
    } catch (Exception e) {
      System.err.println("relay: cannot listen: " + e);
      System.exit(1);
    }
    System.out.println("relay ready: " + rules.size() + " port(s)");
  }

  private static void relay(NetClient client, NetSocket in, Rule rule) {
    in.pause();
    client
        .connect(rule.targetPort(), rule.targetHost())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                in.close();
                return;
              }
              NetSocket out = ar.result();
              in.closeHandler(v -> out.close());
              out.closeHandler(v -> in.close());
              in.pipeTo(out);
              out.pipeTo(in);
            });
  }

  private static List<Rule> parse(String arg) {
    String[] sides = arg.split("=", 2);
    int colon = sides[0].lastIndexOf(':');
    if (sides.length != 2 || colon < 0) {
      throw new IllegalArgumentException("not a rule: " + arg);
    }
    String listenHost = sides[0].substring(0, colon);
    String ports = sides[0].substring(colon + 1);
    List<Rule> rules = new ArrayList<>();
    if (ports.contains("-")) {
      int first = Integer.parseInt(ports.substring(0, ports.indexOf('-')));
      int last = Integer.parseInt(ports.substring(ports.indexOf('-') + 1));
      for (int p = first; p <= last; p++) {
        rules.add(new Rule(listenHost, p, sides[1], p));
      }
    } else {
      int port = Integer.parseInt(ports);
      int targetColon = sides[1].lastIndexOf(':');
      rules.add(
          targetColon < 0
              ? new Rule(listenHost, port, sides[1], port)
              : new Rule(
                  listenHost,
                  port,
                  sides[1].substring(0, targetColon),
                  Integer.parseInt(sides[1].substring(targetColon + 1))));
    }
    return rules;
  }
}
