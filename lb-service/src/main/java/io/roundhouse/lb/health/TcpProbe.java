package io.roundhouse.lb.health;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * Checks a TCP backend by connecting and, unless connect-only, sending a short line and expecting
 * it echoed. A frozen process passes a bare connect (its kernel completes the handshake from the
 * listen backlog), so only the echo proves it serves. Sockets close when the check ends; the
 * client's idle timeout closes them when a check is given up.
 */
final class TcpProbe implements Probe {

  static final String PROBE = "roundhouse-health\n";

  private final NetClient client;
  private final boolean echo;

  TcpProbe(NetClient client, boolean echo) {
    this.client = client;
    this.echo = echo;
  }

  @Override
  public Future<Void> check(Monitored backend) {
    return client
        .connect(backend.port(), backend.host())
        .compose(socket -> echo ? awaitEcho(socket) : socket.close());
  }

  private static Future<Void> awaitEcho(NetSocket socket) {
    Promise<Void> answer = Promise.promise();
    Buffer received = Buffer.buffer();
    int expected = PROBE.getBytes(StandardCharsets.UTF_8).length;
    socket.handler(
        data -> {
          received.appendBuffer(data);
          if (received.length() >= expected) {
            if (received.toString(StandardCharsets.UTF_8).equals(PROBE)) {
              answer.tryComplete();
            } else {
              answer.tryFail(new CheckFailure("echoed something else"));
            }
          }
        });
    socket.closeHandler(v -> answer.tryFail(new CheckFailure("closed without echoing")));
    socket.exceptionHandler(answer::tryFail);
    socket.write(Buffer.buffer(PROBE, "UTF-8"));
    return answer.future().eventually(socket::close);
  }
}
