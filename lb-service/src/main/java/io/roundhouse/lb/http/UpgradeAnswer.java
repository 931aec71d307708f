package io.roundhouse.lb.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.roundhouse.net.Relay;
import io.vertx.core.buffer.Buffer;

/**
 * What a backend answered to a WebSocket upgrade request.
 *
 * @param status the answer's status code: 101 when it switched protocols
 * @param headers the answer's headers
 * @param body a refusal's whole body; empty for a 101
 * @param outboundReader for a 101, the backend socket's reads, held from the first byte after the
 *     answer's head (a welcome frame may share a read with the 101); null otherwise
 */
record UpgradeAnswer(int status, HttpHeaders headers, Buffer body, Relay outboundReader) {

  boolean switched() {
    return outboundReader != null;
  }
}
