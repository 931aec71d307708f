package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.health.HealthState.Status;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.ScaledDeployment.Deployed;
import io.roundhouse.testing.Eventually;
import io.vertx.core.net.NetServer;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Backend health through the real frontends, the fast tier: active checks take a closed, silent or
 * unready origin out of rotation and bring it back; passive detection ejects an origin that answers
 * 5xx; slow start gives a new origin a smaller share.
 */
class HealthFrontendTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /**
   * Checks every 100 ms, 1 s to answer, rise 2, fall 2; {@code extra} on top. No shutdown grace:
   * the test's keep-alive clients need not be waited for.
   */
  private static Map<String, String> fastChecks(Map<String, String> extra) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "LB_HEALTH_INTERVAL", "100ms",
                "LB_HEALTH_TIMEOUT", "1s",
                "LB_HEALTH_RISE", "2",
                "LB_HEALTH_FALL", "2",
                "SHUTDOWN_GRACE", "0s"));
    env.putAll(extra);
    return env;
  }

  private static Deployed echoOrigin(Frontends on, int port) {
    return on.echoOrigin(port);
  }

  /**
   * An HTTP origin: {@code /health/ready} answers 200 while {@code ready}, else 503; any other path
   * answers its name, or 500 while {@code failing}.
   */
  private static int httpOrigin(
      Frontends on, String name, AtomicBoolean ready, AtomicBoolean failing) {
    return on.httpOrigin(
        req -> {
          if (req.path().equals("/health/ready")) {
            req.response().setStatusCode(ready.get() ? 200 : 503).end();
          } else if (failing.get()) {
            req.response().setStatusCode(500).end("failing");
          } else {
            req.response().end(name);
          }
        });
  }

  private static void awaitStatus(Frontends lb, String service, String id, Status status) {
    Eventually.until(
        WAIT,
        id + " is " + status.label(),
        () -> lb.backend(service, id).health().state().status() == status);
  }

  private static void roundTrips(Frontends lb, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      try (Socket socket = TcpClients.connect(lb.tcpPort())) {
        TcpClients.roundTrip(socket, "client " + i);
      }
    }
  }

  @Test
  void shouldTakeAClosedTcpOriginOutAfterFallChecksAndBackAfterRise() throws Exception {
    // Passive detection off: only the active checks act here.
    try (Frontends lb = new Frontends(fastChecks(Map.of("LB_OUTLIER_CONSECUTIVE", "0")))) {
      lb.backendUp("echo-a", ServiceInstance.ECHO, echoOrigin(lb, 0).port());
      Deployed b = echoOrigin(lb, 0);
      lb.backendUp("echo-b", ServiceInstance.ECHO, b.port());
      awaitStatus(lb, ServiceInstance.ECHO, "echo-a", Status.UP);
      awaitStatus(lb, ServiceInstance.ECHO, "echo-b", Status.UP);

      b.undeploy(lb.origins).timeout(30, TimeUnit.SECONDS).await();

      awaitStatus(lb, ServiceInstance.ECHO, "echo-b", Status.DOWN);
      Backend closed = lb.backend(ServiceInstance.ECHO, "echo-b");
      assertThat(closed.health().state().reason()).isEqualTo("connection refused");
      assertThat(closed.health().failedChecks()).isGreaterThanOrEqualTo(2);
      assertThat(closed.healthy()).isFalse();
      roundTrips(lb, 10);
      assertThat(closed.totalConnections()).as("clients sent to the closed origin").isZero();
      assertThat(closed.failedConnects()).as("dials of the closed origin").isZero();

      echoOrigin(lb, b.port());

      awaitStatus(lb, ServiceInstance.ECHO, "echo-b", Status.UP);
      assertThat(closed.health().state().passes()).isGreaterThanOrEqualTo(2);
      roundTrips(lb, 10);
      assertThat(closed.totalConnections()).as("clients sent to it once back").isEqualTo(5);
    }
  }

  @Test
  void shouldTakeOutATcpOriginThatAcceptsButNeverAnswersWhenChecksTimeOut() throws Exception {
    try (Frontends lb = new Frontends(fastChecks(Map.of("LB_OUTLIER_CONSECUTIVE", "0")))) {
      lb.backendUp("echo-a", ServiceInstance.ECHO, echoOrigin(lb, 0).port());
      // Accepts and holds every connection, as a frozen process's kernel does: a connect passes.
      NetServer silent = lb.origins.createNetServer().connectHandler(socket -> socket.pause());
      int port = silent.listen(0, "127.0.0.1").timeout(30, TimeUnit.SECONDS).await().actualPort();
      lb.backendUp("echo-silent", ServiceInstance.ECHO, port);

      awaitStatus(lb, ServiceInstance.ECHO, "echo-silent", Status.DOWN);

      Backend hung = lb.backend(ServiceInstance.ECHO, "echo-silent");
      assertThat(hung.health().state().reason()).isEqualTo("timed out after 1000 ms");
      assertThat(hung.health().state().latencyNanos())
          .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
      roundTrips(lb, 6);
      assertThat(hung.totalConnections()).isZero();
    }
  }

  @Test
  void shouldTakeAnHttpOriginOutWhenItsReadinessAnswers503AndBackWhenReady() {
    try (Frontends lb = new Frontends(fastChecks(Map.of("LB_OUTLIER_CONSECUTIVE", "0")))) {
      AtomicBoolean ok = new AtomicBoolean(false);
      AtomicBoolean bReady = new AtomicBoolean(true);
      lb.backendUp("ws-a", ServiceInstance.WS, httpOrigin(lb, "ws-a", new AtomicBoolean(true), ok));
      lb.backendUp("ws-b", ServiceInstance.WS, httpOrigin(lb, "ws-b", bReady, ok));
      awaitStatus(lb, ServiceInstance.WS, "ws-b", Status.UP);

      bReady.set(false);

      awaitStatus(lb, ServiceInstance.WS, "ws-b", Status.DOWN);
      Backend unready = lb.backend(ServiceInstance.WS, "ws-b");
      assertThat(unready.health().state().reason()).isEqualTo("HTTP 503");
      long before = unready.totalConnections();
      for (int i = 0; i < 10; i++) {
        TestClients.Reply reply = lb.clients.http(lb.httpPort(), "/who");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("ws-a");
      }
      assertThat(unready.totalConnections()).isEqualTo(before);

      bReady.set(true);

      awaitStatus(lb, ServiceInstance.WS, "ws-b", Status.UP);
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(lb.clients.http(lb.httpPort(), "/who").body());
      }
      assertThat(answers).contains("ws-a", "ws-b");
    }
  }

  @Test
  void shouldEjectAnOriginThatAnswers5xxForLongerEachTimeAndTakeItBackWhenItRecovers() {
    Map<String, String> env =
        fastChecks(
            Map.of(
                "LB_OUTLIER_CONSECUTIVE", "3",
                "LB_OUTLIER_EJECTION", "1s",
                "LB_OUTLIER_MAX_EJECTION", "5s"));
    try (Frontends lb = new Frontends(env)) {
      AtomicBoolean ready = new AtomicBoolean(true);
      AtomicBoolean bFailing = new AtomicBoolean(true);
      lb.backendUp("ws-a", ServiceInstance.WS, httpOrigin(lb, "ws-a", ready, new AtomicBoolean()));
      lb.backendUp("ws-b", ServiceInstance.WS, httpOrigin(lb, "ws-b", ready, bFailing));
      Backend failing = lb.backend(ServiceInstance.WS, "ws-b");
      awaitStatus(lb, ServiceInstance.WS, "ws-a", Status.UP);
      awaitStatus(lb, ServiceInstance.WS, "ws-b", Status.UP);

      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 20 && failing.health().ejections() == 0; i++) {
        statuses.add(lb.clients.http(lb.httpPort(), "/who").status());
      }

      // Turns alternate: its third 500 in a row, the sixth request, ejects it.
      assertThat(statuses).containsExactly(200, 500, 200, 500, 200, 500);
      assertThat(failing.health().ejections()).isEqualTo(1);
      assertThat(failing.health().outlier().reason()).isEqualTo("HTTP 500");
      assertThat(failing.health().state().status())
          .as("its health checks pass all along")
          .isEqualTo(Status.UP);
      List<String> whileEjected = new ArrayList<>();
      while (failing.health().outlier().ejected(System.nanoTime()) && whileEjected.size() < 100) {
        whileEjected.add(lb.clients.http(lb.httpPort(), "/who").body());
      }
      assertThat(whileEjected).containsOnly("ws-a");

      // Back after its ejection and still failing: ejected again, for twice as long.
      Eventually.until(WAIT, "ws-b is back in rotation", failing::healthy);
      for (int i = 0; i < 20 && failing.health().ejections() == 1; i++) {
        lb.clients.http(lb.httpPort(), "/who");
      }
      assertThat(failing.health().ejections()).isEqualTo(2);
      assertThat(failing.health().outlier().ejectionNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(2));

      bFailing.set(false);

      Eventually.until(WAIT, "ws-b is back in rotation", failing::healthy);
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(lb.clients.http(lb.httpPort(), "/who").body());
      }
      assertThat(answers).containsExactlyInAnyOrder("ws-a", "ws-a", "ws-b", "ws-b");
      assertThat(failing.health().outlier().consecutive()).isZero();
    }
  }

  @Test
  void shouldGiveANewOriginFewerConnectionsThanAWarmOneWhileItSlowStarts() throws Exception {
    Map<String, String> env =
        fastChecks(Map.of("LB_SLOW_START", "3s", "LB_STRATEGY", "least_connections"));
    List<Socket> held = new ArrayList<>();
    try (Frontends lb = new Frontends(env);
        AutoCloseable closeHeld = () -> closeAll(held)) {
      lb.backendUp("echo-a", ServiceInstance.ECHO, echoOrigin(lb, 0).port());
      Backend warm = lb.backend(ServiceInstance.ECHO, "echo-a");
      Eventually.until(WAIT, "echo-a has warmed up", () -> warm.weight() == 1.0);
      lb.backendUp("echo-b", ServiceInstance.ECHO, echoOrigin(lb, 0).port());
      Backend fresh = lb.backend(ServiceInstance.ECHO, "echo-b");
      assertThat(fresh.weight()).as("weight before its first pass").isLessThan(1.0);
      awaitStatus(lb, ServiceInstance.ECHO, "echo-b", Status.UP);

      for (int i = 0; i < 40; i++) {
        Socket socket = TcpClients.connect(lb.tcpPort());
        TcpClients.roundTrip(socket, "held " + i);
        held.add(socket);
      }
      double weightAfter = fresh.weight();

      long toFresh = fresh.activeConnections();
      long toWarm = warm.activeConnections();
      assertThat(toFresh + toWarm).isEqualTo(40);
      // Least connections takes the least (active + 1) / weight, and the weight only grows.
      assertThat((double) toFresh).isLessThan(weightAfter * (toWarm + 1));
      assertThat(toFresh).as("the new origin's share").isLessThan(toWarm);

      Eventually.until(WAIT, "echo-b has warmed up", () -> fresh.weight() == 1.0);
      for (int i = 0; i < 40; i++) {
        Socket socket = TcpClients.connect(lb.tcpPort());
        TcpClients.roundTrip(socket, "warm " + i);
        held.add(socket);
      }

      assertThat(fresh.activeConnections()).as("a full share once warm").isEqualTo(40);
      assertThat(warm.activeConnections()).isEqualTo(40);
    }
  }

  private static void closeAll(List<Socket> sockets) throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
