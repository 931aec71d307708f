package io.roundhouse.lb.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionQueryTest {

  private static ConnectionQuery parse(Map<String, String> params) {
    return ConnectionQuery.parse(params::get);
  }

  @Test
  void shouldListTheFirstPageOldestFirstWhenNothingIsAsked() {
    ConnectionQuery q = parse(Map.of());
    assertThat(q.sort()).isEqualTo("age");
    assertThat(q.offset()).isZero();
    assertThat(q.limit()).isEqualTo(ConnectionQuery.DEFAULT_LIMIT);
    assertThat(q.minAge()).isZero();
    assertThat(q.kind()).isNull();
  }

  @Test
  void shouldReadEveryFilterWhenGiven() {
    ConnectionQuery q =
        parse(
            Map.of(
                "service", "ws",
                "backend", "ws-2",
                "frontend", "http",
                "protocol", "websocket",
                "loop", "vert.x-eventloop-thread-1",
                "minAge", "5s",
                "sort", "bytes",
                "offset", "20",
                "limit", "10"));
    assertThat(q)
        .isEqualTo(
            new ConnectionQuery(
                "ws",
                "ws-2",
                "http",
                Kind.WEBSOCKET,
                "vert.x-eventloop-thread-1",
                Duration.ofSeconds(5),
                "bytes",
                20,
                10));
  }

  @Test
  void shouldNameTheParameterWhenAValueIsBad() {
    assertThatThrownBy(() -> parse(Map.of("limit", "0"))).hasMessageContaining("limit");
    assertThatThrownBy(() -> parse(Map.of("limit", "1001"))).hasMessageContaining("limit");
    assertThatThrownBy(() -> parse(Map.of("offset", "-1"))).hasMessageContaining("offset");
    assertThatThrownBy(() -> parse(Map.of("offset", "ten"))).hasMessageContaining("offset");
    assertThatThrownBy(() -> parse(Map.of("sort", "size"))).hasMessageContaining("sort");
    assertThatThrownBy(() -> parse(Map.of("minAge", "soon"))).hasMessageContaining("minAge");
    assertThatThrownBy(() -> parse(Map.of("protocol", "sctp"))).hasMessageContaining("protocol");
  }

  @Test
  void shouldOrderByIdleOrBytesWhenAsked() {
    ConnectionRow quiet = row(1, 10, 100);
    ConnectionRow busy = row(2, 1, 5000);
    assertThat(java.util.stream.Stream.of(busy, quiet).sorted(parse(Map.of()).order()))
        .containsExactly(quiet, busy);
    assertThat(
            java.util.stream.Stream.of(busy, quiet).sorted(parse(Map.of("sort", "idle")).order()))
        .containsExactly(quiet, busy);
    assertThat(
            java.util.stream.Stream.of(quiet, busy).sorted(parse(Map.of("sort", "bytes")).order()))
        .containsExactly(busy, quiet);
  }

  @Test
  void shouldKeepOnlyOldEnoughRowsWhenMinAgeIsSet() {
    ConnectionRow young = row(1, 0, 0);
    assertThat(parse(Map.of("minAge", "1s")).filter().test(young)).isFalse();
    assertThat(parse(Map.of("minAge", "0")).filter().test(young)).isTrue();
  }

  private static ConnectionRow row(long id, long idleSeconds, long bytes) {
    return new ConnectionRow(
        id,
        Kind.TCP,
        "tcp",
        "echo",
        "echo-1",
        "loop-0",
        null,
        null,
        null,
        null,
        0,
        Duration.ofMillis(500).toNanos(),
        Duration.ofSeconds(idleSeconds).toNanos(),
        bytes,
        0,
        0);
  }
}
