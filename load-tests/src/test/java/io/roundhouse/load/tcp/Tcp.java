package io.roundhouse.load.tcp;

import io.gatling.core.action.Action;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.netty.util.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.roundhouse.load.gatling.JavaAction;
import io.roundhouse.load.gatling.JavaActionBuilder;
import io.roundhouse.load.gatling.Sessions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Raw TCP for Gatling, which has no TCP protocol: connect, echo round trips, close.
 *
 * <p>The connection is a Netty channel on Gatling's own event loops, registered on the virtual
 * user's loop, so nothing blocks and callbacks need no hand-off. It lives in the user's session
 * between actions and is closed by {@link #close()}, on a failed echo, and when the user ends.
 * Gatling records {@value #CONNECT} and {@value #ECHO} like any request.
 */
public final class Tcp {

  public static final String CONNECT = "tcp connect";
  public static final String ECHO = "tcp echo";

  /** The session attribute that holds the connection. */
  static final String KEY = "roundhouse.tcp.connection";

  private Tcp() {}

  /** Opens a connection to {@code host:port}; KO after {@code timeout}. */
  public static ActionBuilder connect(String host, int port, Duration timeout) {
    return new JavaActionBuilder(
        (ctx, next) -> new ConnectAction(ctx, next, new InetSocketAddress(host, port), timeout));
  }

  /** Sends {@code size} random bytes and reads until all came back; KO after {@code timeout}. */
  public static ActionBuilder echo(int size, Duration timeout) {
    return new JavaActionBuilder((ctx, next) -> new EchoAction(ctx, next, size, timeout));
  }

  /** Closes the connection, if any. Not recorded. */
  public static ActionBuilder close() {
    return new JavaActionBuilder(CloseAction::new);
  }

  private static TcpConnection connection(Session session) {
    return Sessions.get(session, KEY);
  }

  private static final class ConnectAction extends JavaAction {

    private final InetSocketAddress address;
    private final Bootstrap bootstrap;

    ConnectAction(ScenarioContext ctx, Action next, InetSocketAddress address, Duration timeout) {
      super("tcpConnect-" + address, ctx, next);
      this.address = address;
      GatlingConfiguration config = ctx.coreComponents().configuration();
      ChannelFactory<? extends SocketChannel> channels =
          Transports.newSocketChannelFactory(
              config.netty().useNativeTransport(), config.netty().useIoUring());
      this.bootstrap =
          new Bootstrap()
              .channelFactory(channels)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
              .option(ChannelOption.TCP_NODELAY, true);
    }

    @Override
    public void execute(Session session) {
      TcpConnection previous = connection(session);
      if (previous != null && previous.isOpen()) {
        ko(session, CONNECT, now(), now(), "already connected");
        next(session.markAsFailed());
        return;
      }
      TcpConnection connection = new TcpConnection();
      long start = now();
      ChannelFuture connecting =
          bootstrap.clone(session.eventLoop()).handler(connection.handler()).connect(address);
      connecting.addListener(
          f -> {
            long end = now();
            if (f.isSuccess()) {
              connection.attach(connecting.channel());
              ok(session, CONNECT, start, end);
              next(Sessions.setClosedOnExit(session, KEY, connection, c -> c.close(() -> {})));
            } else {
              Throwable cause = f.cause();
              ko(
                  session,
                  CONNECT,
                  start,
                  end,
                  cause == null ? "connect failed" : cause.getMessage());
              next(session.markAsFailed());
            }
          });
    }
  }

  private static final class EchoAction extends JavaAction {

    private final int size;
    private final Duration timeout;

    EchoAction(ScenarioContext ctx, Action next, int size, Duration timeout) {
      super("tcpEcho", ctx, next);
      this.size = size;
      this.timeout = timeout;
    }

    @Override
    public void execute(Session session) {
      TcpConnection connection = connection(session);
      if (connection == null) {
        ko(session, ECHO, now(), now(), "not connected");
        next(session.markAsFailed());
        return;
      }
      byte[] payload = new byte[size];
      ThreadLocalRandom.current().nextBytes(payload);
      long start = now();
      connection.echo(
          payload,
          timeout,
          error -> {
            long end = now();
            if (error == null) {
              ok(session, ECHO, start, end);
              next(session);
            } else {
              ko(session, ECHO, start, end, error);
              connection.close(() -> next(session.remove(KEY).markAsFailed()));
            }
          });
    }
  }

  private static final class CloseAction extends JavaAction {

    CloseAction(ScenarioContext ctx, Action next) {
      super("tcpClose", ctx, next);
    }

    @Override
    public void execute(Session session) {
      TcpConnection connection = connection(session);
      if (connection == null) {
        next(session);
        return;
      }
      connection.close(() -> next(session.remove(KEY)));
    }
  }
}
