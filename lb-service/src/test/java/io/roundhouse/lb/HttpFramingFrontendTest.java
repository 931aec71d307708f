package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.registry.ServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-exact malformed requests to the HTTP frontend: each is answered by the balancer itself, its
 * connection closed, no backend sees it, and it is counted by reason. The fast tier, no cluster.
 */
class HttpFramingFrontendTest {

  private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  private static Frontends frontends;
  private static final List<String> originSaw = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    // The idle timeout is long: an unanswered request would show as a read timeout, not a close.
    // Checks off: the origin must see no request but the test's own.
    frontends = new Frontends(Map.of("LB_HTTP_IDLE_TIMEOUT", "60s", "LB_HEALTH_CHECKS", "off"));
    int port =
        frontends.httpOrigin(
            req -> {
              originSaw.add(req.method() + " " + req.uri());
              req.response().end("origin " + req.uri());
            });
    frontends.backendUp("origin-1", ServiceInstance.WS, port);
  }

  @AfterAll
  static void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  @BeforeEach
  void forget() {
    originSaw.clear();
  }

  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        Arguments.of(
            "length and chunked",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
            "framing"),
        Arguments.of(
            "length and chunked, HTTP/1.0",
            "POST / HTTP/1.0\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            "framing"),
        Arguments.of(
            "two lengths",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
            400,
            "malformed"),
        Arguments.of(
            "a list of lengths",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 5\r\n\r\nabcde",
            400,
            "malformed"),
        Arguments.of(
            "chunked not last",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
            400,
            "framing"),
        Arguments.of(
            "no chunked at all",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nGET /x HTTP/1.1\r\n\r\n",
            400,
            "framing"),
        Arguments.of(
            "chunked twice",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            "framing"),
        Arguments.of(
            "an unknown coding before chunked",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            501,
            "transfer_coding"),
        Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "version"),
        Arguments.of("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505, "version"),
        Arguments.of("h2c preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "version"),
        Arguments.of("not HTTP", "GET / FOO/1.1\r\nHost: x\r\n\r\n", 400, "malformed"),
        target("a control in the target", "GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("DEL in the target", "GET /a\u007fb HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("a quote in the target", "GET /a\"b HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("angle brackets", "GET /<script> HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("a fragment", "GET /a#top HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("a bad escape", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("non-ASCII", "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("no leading slash", "GET abc HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("asterisk with GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n"),
        target("no Host", "GET / HTTP/1.1\r\n\r\n"),
        target("two Hosts", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"),
        target("an invalid Host", "GET / HTTP/1.1\r\nHost: x y\r\n\r\n"),
        Arguments.of(
            "upgrade without Connection: Upgrade",
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + KEY
                + "Sec-WebSocket-Version: 13\r\n\r\n",
            400,
            "upgrade"),
        Arguments.of(
            "upgrade without a key",
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n",
            400,
            "upgrade"),
        Arguments.of(
            "upgrade without a version",
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + KEY
                + "\r\n",
            400,
            "upgrade"),
        Arguments.of(
            "upgrade by POST",
            "POST /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + KEY
                + "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n",
            400,
            "upgrade"));
  }

  /** A target or Host case: 400, reason {@code target}. */
  private static Arguments target(String name, String request) {
    return Arguments.of(name, request, 400, "target");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRequests")
  void shouldAnswerAndCloseWithoutBackendWhenRequestIsMalformed(
      String name, String request, int status, String reason) throws Exception {
    double before = frontends.rejections(reason);

    // Read until the balancer closes: a request it left unanswered would fail on a read timeout.
    RawHttp.Answer answer = RawHttp.exchange(frontends.httpPort(), request);

    assertThat(answer.statusLine()).startsWith("HTTP/1.1 " + status + " ");
    assertThat(originSaw).isEmpty();
    assertThat(frontends.rejections(reason)).isEqualTo(before + 1);
  }

  @Test
  void shouldAnswer426NamingVersion13WhenUpgradeAsksForAnotherVersion() throws Exception {
    RawHttp.Answer answer =
        RawHttp.exchange(
            frontends.httpPort(),
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + KEY
                + "Sec-WebSocket-Version: 8\r\n\r\n");

    assertThat(answer.status()).isEqualTo(426);
    assertThat(answer.header("Sec-WebSocket-Version")).isEqualTo("13");
    assertThat(originSaw).isEmpty();
  }

  @Test
  void shouldProxyWhenTargetAndCodingAreValidButUnusual() throws Exception {
    // Characters browsers leave unencoded in queries, an absolute-form target, and a chunked
    // coding spelt in capitals are all valid.
    String answer =
        RawHttp.exchange(
                frontends.httpPort(),
                "POST /q?a[]=1&b={x}|y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Transfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
            .text();
    String absolute =
        RawHttp.exchange(
                frontends.httpPort(),
                "GET http://x/abs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .text();

    assertThat(answer).startsWith("HTTP/1.1 200 ");
    assertThat(absolute).startsWith("HTTP/1.1 200 ");
    assertThat(originSaw).containsExactly("POST /q?a[]=1&b={x}|y", "GET http://x/abs");
  }
}
