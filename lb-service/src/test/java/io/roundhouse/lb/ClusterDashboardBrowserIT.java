package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's cluster strip in a real browser: one balancer's page lists both balancers of the
 * cluster, shows the rebalancer's state, and marks a node drained through the other balancer; its
 * Sockets page names a third balancer that shares its public ports.
 */
class ClusterDashboardBrowserIT {

  /** The strip polls every two seconds; this bounds the wait, it is no timing assertion. */
  private static final Duration SHOWN = Duration.ofSeconds(20);

  private static final Path LOGS =
      Path.of(System.getProperty("roundhouse.it.logs", "target/it-logs"));

  private ClusterFixture fixture;
  private HeadlessChromium browser;

  @BeforeEach
  void requireBrowser() {
    HeadlessChromium.requireInstalled();
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldListEveryBalancerMarkADrainingNodeAndNamePortSharersWhenTheClusterHasSeveral()
      throws Exception {
    fixture = new ClusterFixture();
    fixture.ws("ws-1");
    fixture.ws("ws-2");
    LbService a = fixture.lb("lb-a", Map.of("LB_REBALANCE", "true"));
    LbService b = fixture.lb("lb-b", Map.of());
    fixture.awaitNodes(a, "ws", nodes -> nodes.size() == 2);
    fixture.awaitNodes(b, "ws", nodes -> nodes.size() == 2);

    browser = HeadlessChromium.start(LOGS);
    browser.driver().get("http://127.0.0.1:" + a.adminPort() + "/");
    WebDriverWait wait = new WebDriverWait(browser.driver(), SHOWN, Duration.ofMillis(200));
    wait.withMessage(() -> "both balancers on lb-a's page")
        .until(
            d ->
                d.findElements(By.cssSelector("#balancers li[data-balancer]")).size() == 2
                    && !d.findElements(By.cssSelector("li[data-balancer='lb-b']")).isEmpty());
    assertThat(
            browser
                .driver()
                .findElement(By.cssSelector("li[data-balancer='lb-a']"))
                .getAttribute("data-self"))
        .isEqualTo("true");
    wait.withMessage(() -> "the rebalancer's state")
        .until(d -> "true".equals(d.findElement(By.id("rebalance")).getAttribute("data-enabled")));

    assertThat(
            fixture.testClients().post(b.adminPort(), "/api/nodes/ws-2/drain?period=60s").status())
        .isEqualTo(202);

    wait.withMessage(() -> "ws-2 shown draining on lb-a's page")
        .until(
            d ->
                !d.findElements(By.cssSelector("[data-node-id='ws-2'][data-health='draining']"))
                    .isEmpty());
    assertThat(
            browser
                .driver()
                .findElement(By.cssSelector("[data-node-id='ws-2'] .badge"))
                .getText()
                .toLowerCase())
        .isEqualTo("draining");
    browser.screenshot(Path.of("target", "dashboard-cluster.png"));

    // Balancer b on the same public ports: a's Sockets page names it on each shared listener.
    LbService c =
        fixture.lb(
            "lb-c",
            Map.of(
                "LB_TCP_PORT", String.valueOf(a.tcpPort()),
                "LB_HTTP_PORT", String.valueOf(a.httpPort()),
                "LB_UDP_PORT", String.valueOf(a.udpPort())));
    assertThat(c.tcpPort()).isEqualTo(a.tcpPort());
    browser.driver().get("http://127.0.0.1:" + a.adminPort() + "/sockets.html");
    for (String frontend : new String[] {"tcp", "http", "udp"}) {
      wait.withMessage(() -> "lb-c named on a's " + frontend + " listener")
          .until(
              d ->
                  d.findElement(By.cssSelector("[data-listener='" + frontend + "']"))
                      .getAttribute("data-shared-with")
                      .startsWith("lb-c:"));
    }
    assertThat(
            browser.driver().findElement(By.cssSelector("[data-listener='tcp'] .shared")).getText())
        .contains("lb-c");
    browser.screenshot(Path.of("target", "sockets-shared.png"));

    fixture.testClients().delete(a.adminPort(), "/api/nodes/ws-2/drain");
    browser.driver().get("http://127.0.0.1:" + a.adminPort() + "/");
    wait.withMessage(() -> "ws-2 back in rotation on the page")
        .until(
            d ->
                d.findElements(By.cssSelector("[data-node-id='ws-2'][data-health='draining']"))
                    .isEmpty());
  }
}
