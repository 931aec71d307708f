package io.roundhouse.lb.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.buffer.Buffer;

/**
 * A backend's answer to a WebSocket upgrade request.
 *
 * @param status the answer's status code: 101 when it switched protocols
 * @param headers the answer's headers
 * @param body a refusal's whole body; empty for a 101 (whose first frames wait in the channel's
 *     splice leg)
 */
record UpgradeAnswer(int status, HttpHeaders headers, Buffer body) {

  boolean switched() {
    return status == 101;
  }
}
