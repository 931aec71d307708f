package io.roundhouse.lb.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HopByHopTest {

  private static MultiMap headers() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "keep-alive, X-One")
        .add("Connection", "x-two")
        .add("X-One", "1")
        .add("X-Two", "2")
        .add("Keep-Alive", "timeout=5")
        .add("Proxy-Connection", "keep-alive")
        .add("TE", "trailers")
        .add("Trailer", "X-Sum")
        .add("Transfer-Encoding", "chunked")
        .add("Upgrade", "websocket")
        .add("X-End-To-End", "kept");
  }

  @Test
  void shouldRemoveFixedAndListedHeadersWhenStripping() {
    MultiMap headers = headers();

    HopByHop.strip(headers, Set.of());

    assertThat(headers.names()).containsExactly("X-End-To-End");
  }

  @Test
  void shouldKeepUpgradeWhenStrippingAnUpgradeRequest() {
    MultiMap headers = headers();

    HopByHop.strip(headers, HopByHop.KEEP_UPGRADE);

    assertThat(headers.names()).containsExactlyInAnyOrder("Upgrade", "X-End-To-End");
  }
}
