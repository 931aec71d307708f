package io.roundhouse.lb.tcp;

import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.Lease;
import io.roundhouse.lb.backend.OutboundDialer;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.lb.conn.SpliceTraffic;
import io.roundhouse.lb.limit.LimitExceededException;
import io.roundhouse.lb.limit.RejectionCounter;
import io.roundhouse.net.ChannelSplice;
import io.roundhouse.net.SpliceLeg;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.ConnectionCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied TCP connection. The inbound channel reads nothing while a backend is chosen and
 * dialled (its bytes and FIN wait in the kernel), then both channels are spliced. No backend, or
 * none free within the queue timeout: the client is closed.
 */
final class TcpConnection {

  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

  private final SpliceLeg inbound;
  private final LiveConnection live;
  private final BackendConnector connector;
  private final OutboundDialer dialer;
  private final ConnectionCounter inboundCounter;
  private final RejectionCounter rejections;
  private final Runnable onEnd;

  /**
   * @param live its entry in the connection list, which learns the backend and the traffic
   * @param onEnd gives back what admitting the client took (its places under the limits), once
   */
  TcpConnection(
      SpliceLeg inbound,
      LiveConnection live,
      BackendConnector connector,
      OutboundDialer dialer,
      ConnectionCounter inboundCounter,
      RejectionCounter rejections,
      Runnable onEnd) {
    this.inbound = inbound;
    this.live = live;
    this.connector = connector;
    this.dialer = dialer;
    this.inboundCounter = inboundCounter;
    this.rejections = rejections;
    this.onEnd = onEnd;
  }

  private void ended() {
    inboundCounter.closed();
    onEnd.run();
  }

  /** Call on the inbound channel's event loop, within the frontend's context. */
  void start() {
    inboundCounter.opened();
    connector
        .connect(ServiceInstance.ECHO, backend -> dialer.dial(backend.instance()))
        .onComplete(
            ar ->
                dialer.onLoop(
                    () -> {
                      if (ar.succeeded()) {
                        splice(ar.result());
                      } else {
                        refuse(ar.cause());
                      }
                    }));
  }

  private void refuse(Throwable err) {
    LOG.debug("Closing TCP client {}: {}", inbound.channel().remoteAddress(), err.getMessage());
    if (err instanceof LimitExceededException limit) {
      rejections.rejected("tcp", limit.rejection());
    }
    ended();
    inbound.discard();
  }

  private void splice(Lease<SpliceLeg> connected) {
    connected.succeeded();
    SpliceLeg outbound = connected.value();
    if (!inbound.isActive()) {
      // The client left while we dialled: nothing to relay.
      ended();
      connected.release();
      inbound.discard();
      outbound.discard();
      return;
    }
    live.outbound(connected.backend().id(), outbound.channel());
    live.countedBy(new SpliceTraffic(inbound, outbound));
    ChannelSplice splice = ChannelSplice.start(inbound, outbound);
    live.shedBy(new TcpShedder(inbound, outbound, TcpShedder.DEFAULT_CLOSE_TIMEOUT));
    splice
        .closed()
        .onComplete(
            ar -> {
              ended();
              connected.release();
            });
  }
}
