package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.ServiceProcess;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser, served by the balancer's own shaded jar, watching a real
 * cluster: counts per node as clients come and go, a SIGKILLed backend's panel going away, and the
 * page riding out a balancer restart.
 */
class DashboardBrowserIT {

  /** Counts must show within a few samples; this bounds the wait, it is no timing assertion. */
  private static final Duration COUNTS = Duration.ofSeconds(10);

  /** Hazelcast notices a SIGKILLed member when its socket closes, at worst after 15 s. */
  private static final Duration MEMBER_GONE = Duration.ofSeconds(45);

  /** Cluster members joining and a balancer JVM starting on a busy 2-core machine. */
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private static final Path LOGS =
      Path.of(System.getProperty("roundhouse.it.logs", "target/it-logs"));

  private ClusterFixture fixture;
  private HeadlessChromium browser;
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final List<Socket> tcpClients = new ArrayList<>();
  private final List<WebSocket> wsClients = new ArrayList<>();

  /** A node's panel as the page shows it. */
  record Panel(String service, String health, String lbActive, String reported, String shown) {}

  @BeforeEach
  void requireBrowser() {
    HeadlessChromium.requireInstalled();
  }

  @AfterEach
  void stopAll() throws Exception {
    closeClients();
    if (browser != null) {
      browser.close();
    }
    for (ServiceProcess p : processes) {
      p.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private ServiceProcess process(String jarProperty, String nodeId, Map<String, String> env)
      throws Exception {
    ServiceProcess p = ServiceProcess.start(jarProperty, nodeId, fixture.settings(nodeId, env));
    processes.add(p);
    return p;
  }

  private ServiceProcess balancer(int adminPort) throws Exception {
    return balancer(adminPort, Map.of());
  }

  private ServiceProcess balancer(int adminPort, Map<String, String> extra) throws Exception {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "LB_HOST", "127.0.0.1",
                "LB_TCP_PORT", "0",
                "LB_HTTP_PORT", "0",
                "LB_ADMIN_PORT", String.valueOf(adminPort),
                "LB_INSTANCES", "1"));
    env.putAll(extra);
    return process("roundhouse.lb.jar", "lb-1", env);
  }

  @Test
  void shouldShowTheQueueAndWhatALimitTurnedAwayWhenLimitsAreHit() throws Exception {
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
    ServiceProcess lb =
        balancer(
            0, Map.of("LB_MAXCONN", "2", "LB_BACKEND_MAXCONN", "1", "LB_QUEUE_TIMEOUT", "60s"));
    Map<String, Integer> ports = lb.awaitPorts(STARTUP);
    browser = HeadlessChromium.start(LOGS);
    browser.driver().get("http://127.0.0.1:" + ports.get("admin") + "/");
    awaitPage(STARTUP, p -> p.size() == 1 && isLive(), "one node, live");

    Socket holder = TcpClients.connect(ports.get("tcp"));
    tcpClients.add(holder);
    TcpClients.roundTrip(holder, "holds echo-1's only slot");
    Socket queued = TcpClients.connect(ports.get("tcp"));
    tcpClients.add(queued);
    awaitText(COUNTS, "echo queued", () -> queued("echo"), "1 (peak 1)");
    try (Socket late = TcpClients.connect(ports.get("tcp"))) {
      assertThat(late.getInputStream().read()).as("the frontend is full").isEqualTo(-1);
    }
    awaitText(
        COUNTS, "the limits line", this::limitsLine, "turned away by limits: frontend full 1");
    browser.screenshot(Path.of("target", "dashboard-limits.png"));

    holder.close();
    TcpClients.roundTrip(queued, "served once the slot is free");
    awaitText(COUNTS, "echo queued", () -> queued("echo"), "0 (peak 1)");
  }

  private String queued(String service) {
    return (String)
        browser
            .driver()
            .executeScript(
                "return document.querySelector('[data-service-total=\"' + arguments[0] + '\"]"
                    + " .t-queued').textContent;",
                service);
  }

  private String limitsLine() {
    return (String)
        browser
            .driver()
            .executeScript(
                "const l = document.getElementById('limits'); return l.hidden ? '' : l.textContent;");
  }

  private void awaitText(
      Duration timeout, String what, java.util.function.Supplier<String> text, String expected) {
    new WebDriverWait(browser.driver(), timeout, Duration.ofMillis(200))
        .withMessage(
            () ->
                "expected " + what + " to read '" + expected + "', page shows '" + text.get() + "'")
        .until(d -> expected.equals(text.get()));
  }

  @Test
  void shouldShowLiveCountsPerNodeAndDropKilledNodeWhenClientsComeAndGo() throws Exception {
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
    fixture.echo("echo-2");
    ServiceProcess victim =
        process(
            "roundhouse.echo.jar",
            "echo-3",
            Map.of("ECHO_PORT", "0", "ECHO_INSTANCES", "1", "ECHO_ADMIN_PORT", "0"));
    for (int i = 1; i <= 3; i++) {
      fixture.ws("ws-" + i);
    }
    ServiceProcess lb = balancer(0);
    Map<String, Integer> ports = lb.awaitPorts(STARTUP);
    int tcpPort = ports.get("tcp");
    int httpPort = ports.get("http");
    int adminPort = ports.get("admin");

    browser = HeadlessChromium.start(LOGS);
    browser.driver().get("http://127.0.0.1:" + adminPort + "/");
    awaitPage(STARTUP, p -> p.size() == 6 && isLive(), "six nodes, live");

    for (int i = 0; i < 6; i++) {
      wsClients.add(
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + httpPort + "/ws"), new WebSocket.Listener() {})
              .get(20, TimeUnit.SECONDS));
    }
    for (int i = 0; i < 3; i++) {
      Socket s = TcpClients.connect(tcpPort);
      TcpClients.roundTrip(s, "dashboard " + i);
      tcpClients.add(s);
    }

    // Round robin: two WebSockets on each of three ws nodes, one TCP client on each echo node.
    awaitPage(
        COUNTS,
        p -> p.values().stream().allMatch(n -> showsBoth(n, n.service().equals("ws") ? 2 : 1)),
        "2 per ws node and 1 per echo node, from both sides");
    assertThat(totals("ws")).isEqualTo("6/6");
    assertThat(totals("echo")).isEqualTo("3/3");
    // An even spread reads as each node's fair share of its service: a third each.
    assertThat(shares())
        .as("share and fair share per node")
        .hasSize(6)
        .allSatisfy((id, share) -> assertThat(share).containsExactly("33.3", "33.3"));
    assertThat(DashboardPage.yAxisLabelsFit(browser.driver()))
        .as("every y-axis label fits its axis")
        .isTrue();
    browser.screenshot(Path.of("target", "dashboard.png"));

    victim.kill();
    awaitPage(
        MEMBER_GONE,
        p -> !p.containsKey("echo-3") && p.size() == 5,
        "the killed node's panel gone, the others still there");

    closeClients();
    awaitPage(
        COUNTS,
        p -> p.size() == 5 && p.values().stream().allMatch(n -> showsBoth(n, 0)),
        "every count back to 0");
    browser.screenshot(Path.of("target", "dashboard-idle.png"));

    // The balancer restarts on the same admin port: the page says so, then reconnects by itself.
    processes.remove(lb);
    lb.close();
    awaitPage(COUNTS, p -> "disconnected".equals(status()), "a disconnected state");
    browser.screenshot(Path.of("target", "dashboard-disconnected.png"));
    balancer(adminPort).awaitPorts(STARTUP);
    awaitPage(STARTUP, p -> p.size() == 5 && isLive(), "live again with five nodes");
  }

  private static boolean showsBoth(Panel panel, int count) {
    String expected = String.valueOf(count);
    return panel.lbActive().equals(expected)
        && panel.reported().equals(expected)
        && panel.shown().equals(expected + "/" + expected)
        && panel.health().equals("up");
  }

  private boolean isLive() {
    return "live".equals(status());
  }

  private String status() {
    return (String)
        browser.driver().executeScript("return document.getElementById('status').dataset.state");
  }

  private String totals(String service) {
    return (String)
        browser
            .driver()
            .executeScript(
                "const t = document.querySelector('[data-service-total=\"' + arguments[0] + '\"]');"
                    + " return t.querySelector('.t-lb').textContent + '/'"
                    + " + t.querySelector('.t-reported').textContent;",
                service);
  }

  /** Every panel, read in one script so none can vanish half-read. */
  @SuppressWarnings("unchecked")
  private Map<String, Panel> panels() {
    List<List<String>> rows =
        (List<List<String>>)
            browser
                .driver()
                .executeScript(
                    "return [...document.querySelectorAll('[data-node-id]')].map(e => ["
                        + " e.dataset.nodeId, e.dataset.service, e.dataset.health,"
                        + " e.dataset.lbActive, e.dataset.reportedActive,"
                        + " e.querySelector('.n-lb').textContent + '/'"
                        + " + e.querySelector('.n-reported').textContent])");
    Map<String, Panel> out = new HashMap<>();
    for (List<String> r : rows) {
      out.put(r.get(0), new Panel(r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)));
    }
    return out;
  }

  /** Per node: the share of its service the page shows, and the fair share, in percent. */
  private Map<String, List<String>> shares() {
    @SuppressWarnings("unchecked")
    List<List<String>> rows =
        (List<List<String>>)
            browser
                .driver()
                .executeScript(
                    "return [...document.querySelectorAll('[data-node-id]')].map(e =>"
                        + " [e.dataset.nodeId, e.dataset.share, e.dataset.fairShare]);");
    Map<String, List<String>> out = new HashMap<>();
    rows.forEach(r -> out.put(r.get(0), List.of(r.get(1), r.get(2))));
    return out;
  }

  private void awaitPage(Duration timeout, Predicate<Map<String, Panel>> condition, String what) {
    new WebDriverWait(browser.driver(), timeout, Duration.ofMillis(200))
        .withMessage(() -> "expected " + what + "; page shows " + panels() + ", " + status())
        .until(d -> condition.test(panels()));
  }

  private void closeClients() throws Exception {
    for (WebSocket ws : wsClients) {
      ws.abort();
    }
    wsClients.clear();
    for (Socket s : tcpClients) {
      s.close();
    }
    tcpClients.clear();
  }
}
