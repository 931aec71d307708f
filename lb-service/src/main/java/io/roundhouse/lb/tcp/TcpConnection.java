package io.roundhouse.lb.tcp;

import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.Lease;
import io.roundhouse.lb.limit.LimitExceededException;
import io.roundhouse.lb.limit.RejectionCounter;
import io.roundhouse.net.Relay;
import io.roundhouse.net.Sockets;
import io.roundhouse.net.Splice;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied TCP connection. The inbound side's bytes (and FIN) are held while a backend is chosen
 * and dialled, then both sides are spliced. No backend, or none free within the queue timeout: the
 * client is closed.
 */
final class TcpConnection {

  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

  private final NetSocket inbound;
  private final BackendConnector connector;
  private final NetClient outboundClient;
  private final ConnectionCounter inboundCounter;
  private final RejectionCounter rejections;
  private final Runnable onEnd;
  private boolean inboundClosed;

  /**
   * @param onEnd gives back what admitting the client took (its places under the limits), once
   */
  TcpConnection(
      NetSocket inbound,
      BackendConnector connector,
      NetClient outboundClient,
      ConnectionCounter inboundCounter,
      RejectionCounter rejections,
      Runnable onEnd) {
    this.inbound = inbound;
    this.connector = connector;
    this.outboundClient = outboundClient;
    this.inboundCounter = inboundCounter;
    this.rejections = rejections;
    this.onEnd = onEnd;
  }

  private void ended() {
    inboundCounter.closed();
    onEnd.run();
  }

  void start() {
    inboundCounter.opened();
    Sockets.allowHalfClosure(inbound);
    Relay inboundReader = Relay.hold(inbound);
    inbound.closeHandler(v -> inboundClosed = true);
    inbound.exceptionHandler(e -> LOG.debug("Inbound error before splice: {}", e.toString()));
    connector
        .connect(
            ServiceInstance.ECHO,
            backend -> outboundClient.connect(backend.instance().port(), backend.instance().host()))
        .onSuccess(connected -> splice(inboundReader, connected))
        .onFailure(
            err -> {
              LOG.debug("Closing TCP client {}: {}", inbound.remoteAddress(), err.getMessage());
              if (err instanceof LimitExceededException limit) {
                rejections.rejected("tcp", limit.rejection());
              }
              ended();
              inbound.close();
            });
  }

  private void splice(Relay inboundReader, Lease<NetSocket> connected) {
    connected.succeeded();
    NetSocket outbound = connected.value();
    if (inboundClosed) {
      // The client left while we dialled: nothing to relay.
      ended();
      connected.release();
      outbound.close();
      return;
    }
    Sockets.allowHalfClosure(outbound);
    Splice.start(inbound, inboundReader, outbound, Relay.hold(outbound))
        .closed()
        .onComplete(
            ar -> {
              ended();
              connected.release();
            });
  }
}
