package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.ServiceProcess;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Sockets page in a real browser, served by the balancer's shaded jar: a TCP client, a
 * WebSocket client and a UDP client each find their own connection there, with their own ports and
 * the balancer's ephemeral port toward the backend that the API reports.
 */
class SocketsPageBrowserIT {

  /** The page polls once a second; this bounds the wait, it is no timing assertion. */
  private static final Duration SHOWN = Duration.ofSeconds(15);

  private static final Duration STARTUP = Duration.ofSeconds(90);

  private static final Path LOGS =
      Path.of(System.getProperty("roundhouse.it.logs", "target/it-logs"));

  private ClusterFixture fixture;
  private ServiceProcess lb;
  private HeadlessChromium browser;

  @BeforeEach
  void requireBrowser() {
    HeadlessChromium.requireInstalled();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (lb != null) {
      lb.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldShowEachClientsOwnConnectionWithItsPortsWhenTcpWebSocketAndUdpClientsConnect()
      throws Exception {
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
    fixture.ws("ws-1");
    lb =
        ServiceProcess.start(
            "roundhouse.lb.jar",
            "lb-1",
            fixture.settings(
                "lb-1",
                Map.of(
                    "LB_HOST", "127.0.0.1",
                    "LB_TCP_PORT", "0",
                    "LB_HTTP_PORT", "0",
                    "LB_UDP_PORT", "0",
                    "LB_ADMIN_PORT", "0",
                    "LB_INSTANCES", "1")));
    Map<String, Integer> ports = lb.awaitPorts(STARTUP);
    int admin = ports.get("admin");
    io.roundhouse.testing.Eventually.until(
        Duration.ofSeconds(30),
        "the balancer lists echo-1 and ws-1",
        () -> {
          String nodes = fixture.get(admin, "/api/nodes").encode();
          return nodes.contains("\"echo-1\"") && nodes.contains("\"ws-1\"");
        });

    WebSocketClient wsClient = fixture.clients.createWebSocketClient();
    try (Socket tcp = TcpClients.connect(ports.get("tcp"));
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      TcpClients.roundTrip(tcp, "hello");
      WebSocket ws =
          wsClient
              .connect(
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(ports.get("http"))
                      .setURI("/ws"))
              .timeout(30, TimeUnit.SECONDS)
              .await();
      udp.setSoTimeout(10_000);
      byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
      udp.send(
          new DatagramPacket(
              ping,
              ping.length,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get("udp"))));
      udp.receive(new DatagramPacket(new byte[64], 64));

      browser = HeadlessChromium.start(LOGS);
      browser.driver().get("http://127.0.0.1:" + admin + "/sockets.html");
      List<Object[]> clients =
          List.of(
              new Object[] {"tcp", tcp.getLocalPort()},
              new Object[] {"websocket", ws.localAddress().port()},
              new Object[] {"udp", udp.getLocalPort()});
      for (Object[] client : clients) {
        String protocol = (String) client[0];
        String source = "127.0.0.1:" + client[1];
        String outbound = outboundSource(admin, protocol, source);
        new WebDriverWait(browser.driver(), SHOWN, Duration.ofMillis(200))
            .withMessage(() -> protocol + " " + source + " → " + outbound + " is not on the page")
            .until(d -> shows(protocol, source, outbound));
      }
      assertThat(listenerConnections("tcp")).isPositive();
      assertThat(listenerConnections("udp")).isPositive();
      assertThat(text("#fds-open")).isNotEqualTo("0");
      browser.screenshot(Path.of("target", "dashboard-sockets.png"));
      ws.close().timeout(10, TimeUnit.SECONDS).await();
    } finally {
      wsClient.close();
    }
  }

  /** The balancer's ephemeral address:port for a client's connection, as the API reports it. */
  private String outboundSource(int admin, String protocol, String source) {
    String[] found = new String[1];
    io.roundhouse.testing.Eventually.until(
        protocol + " " + source + " listed with its outbound leg",
        () -> {
          found[0] =
              fixture
                  .get(admin, "/api/connections?limit=1000&protocol=" + protocol)
                  .getJsonArray("connections")
                  .stream()
                  .map(JsonObject.class::cast)
                  .filter(c -> source.equals(c.getJsonObject("inbound").getString("source")))
                  .map(c -> c.getJsonObject("outbound"))
                  .filter(o -> o != null && o.getString("source") != null)
                  .map(o -> o.getString("source"))
                  .findFirst()
                  .orElse(null);
          return found[0] != null;
        });
    return found[0];
  }

  private boolean shows(String protocol, String source, String outbound) {
    Object hit =
        browser
            .driver()
            .executeScript(
                "return [...document.querySelectorAll('#connections tbody tr')].some(r =>"
                    + " r.dataset.protocol === arguments[0] && r.dataset.client === arguments[1]"
                    + " && r.dataset.outboundSource === arguments[2]);",
                protocol,
                source,
                outbound);
    return Boolean.TRUE.equals(hit);
  }

  private long listenerConnections(String frontend) {
    Object n =
        browser
            .driver()
            .executeScript(
                "const c = document.querySelector('[data-listener=\"' + arguments[0] + '\"]');"
                    + " return c ? Number(c.dataset.connections) : -1;",
                frontend);
    return ((Number) n).longValue();
  }

  private String text(String selector) {
    return (String)
        browser
            .driver()
            .executeScript("return document.querySelector(arguments[0]).textContent;", selector);
  }
}
