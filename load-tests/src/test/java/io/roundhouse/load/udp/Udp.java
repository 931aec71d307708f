package io.roundhouse.load.udp;

import io.gatling.core.action.Action;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.netty.util.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramChannel;
import io.roundhouse.load.gatling.JavaAction;
import io.roundhouse.load.gatling.JavaActionBuilder;
import io.roundhouse.load.gatling.Sessions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Raw UDP for Gatling: open a socket connected to the balancer (one flow per virtual user), echo
 * datagrams, close. As with {@code Tcp}, the socket is a Netty channel on the user's own event
 * loop, kept in its session and closed when the user ends. Gatling records {@value #OPEN} and
 * {@value #ECHO}; a datagram not echoed within the timeout is a KO.
 */
public final class Udp {

  public static final String OPEN = "udp open";
  public static final String ECHO = "udp echo";

  static final String KEY = "roundhouse.udp.flow";

  private Udp() {}

  /** Opens a UDP socket connected to {@code host:port}, on an ephemeral port of its own. */
  public static ActionBuilder open(String host, int port) {
    return new JavaActionBuilder(
        (ctx, next) -> new OpenAction(ctx, next, new InetSocketAddress(host, port)));
  }

  /**
   * Sends {@code size} random bytes in one datagram; OK when they come back within {@code timeout}.
   */
  public static ActionBuilder echo(int size, Duration timeout) {
    return new JavaActionBuilder((ctx, next) -> new EchoAction(ctx, next, size, timeout));
  }

  /** Closes the socket, if any. Not recorded. */
  public static ActionBuilder close() {
    return new JavaActionBuilder(CloseAction::new);
  }

  private static final class OpenAction extends JavaAction {

    private final InetSocketAddress address;
    private final Bootstrap bootstrap;

    OpenAction(ScenarioContext ctx, Action next, InetSocketAddress address) {
      super("udpOpen-" + address, ctx, next);
      this.address = address;
      GatlingConfiguration config = ctx.coreComponents().configuration();
      ChannelFactory<? extends DatagramChannel> channels =
          Transports.newDatagramChannelFactory(
              config.netty().useNativeTransport(), config.netty().useIoUring());
      this.bootstrap = new Bootstrap().channelFactory(channels);
    }

    @Override
    public void execute(Session session) {
      UdpFlow previous = Sessions.get(session, KEY);
      if (previous != null && previous.isOpen()) {
        ko(session, OPEN, now(), now(), "already open");
        next(session.markAsFailed());
        return;
      }
      UdpFlow flow = new UdpFlow();
      long start = now();
      // connect() on a datagram socket binds an ephemeral port and filters replies to the peer.
      ChannelFuture opening =
          bootstrap.clone(session.eventLoop()).handler(flow.handler()).connect(address);
      opening.addListener(
          f -> {
            long end = now();
            if (f.isSuccess()) {
              flow.attach(opening.channel());
              ok(session, OPEN, start, end);
              next(Sessions.setClosedOnExit(session, KEY, flow, c -> c.close(() -> {})));
            } else {
              ko(session, OPEN, start, end, String.valueOf(f.cause()));
              next(session.markAsFailed());
            }
          });
    }
  }

  private static final class EchoAction extends JavaAction {

    private final int size;
    private final Duration timeout;

    EchoAction(ScenarioContext ctx, Action next, int size, Duration timeout) {
      super("udpEcho", ctx, next);
      this.size = size;
      this.timeout = timeout;
    }

    @Override
    public void execute(Session session) {
      UdpFlow flow = Sessions.get(session, KEY);
      if (flow == null) {
        ko(session, ECHO, now(), now(), "no socket open");
        next(session.markAsFailed());
        return;
      }
      byte[] payload = new byte[size];
      ThreadLocalRandom.current().nextBytes(payload);
      long start = now();
      flow.echo(
          payload,
          timeout,
          error -> {
            long end = now();
            if (error == null) {
              ok(session, ECHO, start, end);
              next(session);
            } else {
              ko(session, ECHO, start, end, error);
              next(session.markAsFailed());
            }
          });
    }
  }

  private static final class CloseAction extends JavaAction {

    CloseAction(ScenarioContext ctx, Action next) {
      super("udpClose", ctx, next);
    }

    @Override
    public void execute(Session session) {
      UdpFlow flow = Sessions.get(session, KEY);
      if (flow == null) {
        next(session);
        return;
      }
      flow.close(() -> next(session.remove(KEY)));
    }
  }
}
