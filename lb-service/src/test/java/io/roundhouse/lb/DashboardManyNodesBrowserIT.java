package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at 50 backend nodes, with over a thousand connections held through the balancer: 50
 * real echo nodes (own listening sockets, registry entries and published stats) on one extra
 * cluster member ({@link EchoFleet}), and a balancer in this JVM. One node takes 1,100 connections
 * before the others join, so its chart counts past a thousand, the rest two each.
 */
class DashboardManyNodesBrowserIT {

  private static final int NODES = 50;
  private static final int PILED = 1_100;
  private static final int SPREAD = 2 * NODES;
  private static final int HELD = PILED + SPREAD;

  /** Bounds on waits for the cluster and the page to catch up; no timing is asserted. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final Path LOGS =
      Path.of(System.getProperty("roundhouse.it.logs", "target/it-logs"));

  private ClusterFixture fixture;
  private EchoFleet fleet;
  private HeadlessChromium browser;
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void requireBrowser() {
    HeadlessChromium.requireInstalled();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (Socket s : clients) {
      s.close();
    }
    if (browser != null) {
      browser.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldKeepEveryPanelApartAndAxisLabelsCompactWhenFiftyNodesHoldOverAThousand()
      throws Exception {
    fixture = new ClusterFixture();
    fleet = new EchoFleet(fixture, "fleet-1", 2);
    fleet.add(id(1));
    LbService lb = fixture.lb();
    awaitInRotation(lb, 1);
    hold(lb, PILED);
    for (int i = 2; i <= NODES; i++) {
      fleet.add(id(i));
    }
    awaitInRotation(lb, NODES);
    hold(lb, SPREAD);
    fixture.awaitNodes(
        lb,
        "echo",
        nodes ->
            nodes.values().stream().mapToLong(n -> n.getLong("activeConnections")).sum() == HELD);

    browser = HeadlessChromium.start(LOGS);
    browser.driver().get("http://127.0.0.1:" + lb.adminPort() + "/");
    awaitPage(
        "50 panels, each counting the same connections from both ends, "
            + HELD
            + " in all, and "
            + id(1)
            + "'s axis past a thousand",
        "return (() => { const p = [...document.querySelectorAll('[data-node-id]')];"
            + " const u = document.querySelector('[data-node-id=\""
            + id(1)
            + "\"] .uplot');"
            + " return p.length === "
            + NODES
            + " && document.body.dataset.many === 'true'"
            + " && p.every(e => e.dataset.health === 'up'"
            + " && e.querySelector('.ends').dataset.nodeOpen === e.dataset.lbActive"
            + " && e.dataset.reportedActive === e.dataset.lbActive && !!e.querySelector('.uplot'))"
            + " && p.reduce((s, e) => s + Number(e.dataset.lbActive), 0) === "
            + HELD
            + " && !!u && /k$/.test(u.dataset.yLabels.split('|').pop()); })();");
    browser.screenshot(Path.of("target", "dashboard-50-nodes.png"));

    assertThat(DashboardPage.layoutProblems(browser.driver()))
        .as("every panel has a size, none overlaps another, nothing sticks out or is clipped")
        .isEmpty();
    List<List<String>> labels = DashboardPage.yLabels(browser.driver());
    assertThat(labels).hasSize(NODES);
    assertThat(labels)
        .as("y-axis labels per node, in compact form: 950, 1.2k, never 1,200 or ,000")
        .allSatisfy(
            row ->
                assertThat(row.get(1).split("\\|"))
                    .isNotEmpty()
                    .allMatch(l -> l.matches("\\d+(\\.\\d)?[kM]?"), "a compact count"));
    assertThat(labels.get(0).get(1)).as(id(1) + "'s labels").contains("k").doesNotContain(",");
    assertThat(DashboardPage.yAxisLabelsFit(browser.driver()))
        .as("every y-axis label fits its axis")
        .isTrue();
    assertOwnSide(id(1));
  }

  /** The node's own report on its panel: loops adding up to its count, fds within the limit. */
  private void assertOwnSide(String id) {
    @SuppressWarnings("unchecked")
    List<String> shown =
        (List<String>)
            browser
                .driver()
                .executeScript(
                    "const e = document.querySelector('[data-node-id=\"' + arguments[0] + '\"]');"
                        + " const f = e.querySelector('.fds');"
                        + " return [e.dataset.reportedActive, e.querySelector('.loops').dataset.loops,"
                        + " f.dataset.fdsOpen, f.dataset.fdsMax];",
                    id);
    long reported = Long.parseLong(shown.get(0));
    assertThat(reported).as(id + "'s own count").isGreaterThanOrEqualTo(PILED);
    List<String> loops = List.of(shown.get(1).split("\\|"));
    assertThat(loops).as("both listener loops of " + id).hasSize(2);
    assertThat(loops.stream().mapToLong(l -> Long.parseLong(l.split(":")[1])).sum())
        .as("its loops' open connections add up to its own count")
        .isEqualTo(reported);
    long open = Long.parseLong(shown.get(2));
    assertThat(open).isGreaterThanOrEqualTo(HELD).isLessThanOrEqualTo(Long.parseLong(shown.get(3)));
  }

  private static String id(int i) {
    return String.format("echo-%02d", i);
  }

  /** Opens {@code count} connections through the balancer, each echoing once: spliced through. */
  private void hold(LbService lb, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      Socket s = TcpClients.connect(lb.tcpPort());
      clients.add(s);
      TcpClients.roundTrip(s, "held " + clients.size());
    }
  }

  private void awaitInRotation(LbService lb, int count) {
    fixture.awaitNodes(
        lb,
        "echo",
        nodes ->
            nodes.size() == count
                && nodes.values().stream().allMatch(n -> n.getBoolean("healthy", false)));
  }

  private void awaitPage(String what, String script) throws Exception {
    try {
      new WebDriverWait(browser.driver(), WAIT, Duration.ofMillis(250))
          .withMessage(() -> "expected " + what + "; page shows " + summary())
          .until(d -> Boolean.TRUE.equals(browser.driver().executeScript(script)));
    } catch (TimeoutException e) {
      browser.screenshot(Path.of("target", "dashboard-50-nodes-failed.png"));
      throw e;
    }
  }

  private Object summary() {
    return browser
        .driver()
        .executeScript(
            "return [...document.querySelectorAll('[data-node-id]')].map(e => e.dataset.nodeId"
                + " + ':' + e.dataset.health + ':' + e.dataset.lbActive + '/' + e.dataset.reportedActive"
                + " + ':' + (e.querySelector('.uplot') ? e.querySelector('.uplot').dataset.yLabels : '-'))"
                + ".join(' ');");
  }
}
