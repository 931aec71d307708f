package io.roundhouse.lb.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.Lease;
import io.roundhouse.lb.backend.OutboundDialer;
import io.roundhouse.lb.conn.ConnectionRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Listener;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP frontend: one socket serves every client, and each client's address and port is a flow
 * ({@link UdpFlow}) pinned to one echo-service backend until it idles for {@code
 * LB_UDP_IDLE_TIMEOUT}, through an outbound socket of its own so that replies find their way back.
 * Netty's channels on the verticle's event loop, as the TCP frontend; one instance (a flow table is
 * per socket).
 */
public final class UdpFrontendVerticle extends VerticleBase implements Listener {

  private static final Logger LOG = LoggerFactory.getLogger(UdpFrontendVerticle.class);

  private final UdpConfig config;
  private final String host;
  private final int port;
  private final BackendConnector connector;
  private final UdpMeters meters;
  private final ConnectionCounter flowCounter;
  private VertxInternal vx;
  private ContextInternal ctx;
  private EventLoop loop;
  private Bootstrap outbound;
  private Channel inbound;
  private UdpFlows flows;
  private long sweeper = -1;
  private final ConnectionRegistry connections;

  /**
   * @param port where to listen (0: any free port, logged)
   * @param flowCounter flows open and opened, as {@code roundhouse_connections_*{protocol=udp}}
   * @param connections where flows are listed, as connections
   */
  public UdpFrontendVerticle(
      UdpConfig config,
      String host,
      int port,
      BackendConnector connector,
      UdpMeters meters,
      ConnectionCounter flowCounter,
      ConnectionRegistry connections) {
    this.config = config;
    this.host = host;
    this.port = port;
    this.connector = connector;
    this.meters = meters;
    this.flowCounter = flowCounter;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    ctx = (ContextInternal) context;
    vx = (VertxInternal) vertx;
    loop = ctx.nettyEventLoop();
    // One datagram per read, one byte over the limit: a larger datagram shows as too large.
    FixedRecvByteBufAllocator oneDatagram = new FixedRecvByteBufAllocator(config.maxDatagram() + 1);
    // Replies are not limited: a backend's datagram of any size goes back whole.
    outbound =
        new Bootstrap()
            .group(loop)
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(UdpConfig.MAX_UDP_PAYLOAD));
    Bootstrap listener =
        new Bootstrap()
            .group(loop)
            .channelFactory(datagrams(host.contains(":")))
            .option(ChannelOption.RCVBUF_ALLOCATOR, oneDatagram)
            .handler(new FromClients());
    Promise<Integer> bound = Promise.promise();
    listener
        // ScaledDeployment's negative port means "any free one", a Vert.x server convention.
        .bind(host, Math.max(0, port))
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                inbound = f.channel();
                flows = new UdpFlows(config, meters, flowCounter, connections);
                bound.complete(actualPort());
              } else {
                bound.fail(f.cause());
              }
            });
    return bound
        .future()
        .onSuccess(
            p -> {
              long period = Math.max(10, Math.min(1000, config.idleTimeout().toMillis() / 4));
              sweeper = vertx.setPeriodic(period, id -> flows.sweep(System.nanoTime()));
              LOG.info("UDP frontend on {}:{}", host, p);
            });
  }

  private ChannelFactory<DatagramChannel> datagrams(boolean ipv6) {
    InternetProtocolFamily family =
        ipv6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
    // SO_REUSEPORT: several balancer processes can share the port; the kernel keeps each client
    // address:port on one socket, so a flow stays with one balancer.
    DatagramSocketOptions shared =
        new DatagramSocketOptions().setReuseAddress(true).setReusePort(true);
    return () -> {
      DatagramChannel channel = vx.transport().datagramChannel(family);
      vx.transport().configure(channel, shared);
      return channel;
    };
  }

  /** Reads the clients' datagrams off the one socket. */
  private final class FromClients extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
      if (!(msg instanceof DatagramPacket packet)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      int bytes = packet.content().readableBytes();
      meters.fromClient(bytes);
      if (bytes > config.maxDatagram()) {
        meters.dropped(UdpMeters.Drop.TOO_LARGE);
        packet.release();
        return;
      }
      long now = System.nanoTime();
      InetSocketAddress client = packet.sender();
      UdpFlow flow = flows.find(client);
      if (flow != null) {
        flow.fromClient(packet.content(), now);
        return;
      }
      UdpFlow opened = flows.admit(client, inbound, now);
      if (opened == null) {
        packet.release();
        return;
      }
      // Waits in the flow first: a backend may be chosen (or none found) before emit returns.
      opened.fromClient(packet.content(), now);
      ctx.emit(v -> choose(opened));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
      LOG.debug("UDP frontend socket error: {}", cause.toString());
    }
  }

  /** Asks the connector for a backend, as for a TCP connection, and binds the flow to it. */
  private void choose(UdpFlow flow) {
    connector
        .connect(ServiceInstance.ECHO, backend -> dial(backend.instance(), flow))
        .onComplete(
            chosen -> {
              if (loop.inEventLoop()) {
                chosen(flow, chosen.result(), chosen.cause());
              } else {
                loop.execute(() -> chosen(flow, chosen.result(), chosen.cause()));
              }
            });
  }

  private void chosen(UdpFlow flow, Lease<Channel> lease, Throwable failure) {
    if (lease != null) {
      flow.relayTo(lease);
    } else {
      LOG.debug("No backend for UDP flow {}: {}", flow.client(), failure.toString());
      flow.noBackend();
      flows.end(flow);
    }
  }

  /** An outbound socket connected to the backend, with the flow reading its replies. */
  private Future<Channel> dial(ServiceInstance backend, UdpFlow flow) {
    return OutboundDialer.resolve(vx, backend)
        .compose(
            address -> {
              Promise<Channel> connected = Promise.promise();
              outbound
                  .clone()
                  .channelFactory(datagrams(address.getAddress() instanceof Inet6Address))
                  .handler(flow)
                  .connect(address)
                  .addListener(
                      (ChannelFuture f) -> {
                        if (f.isSuccess()) {
                          connected.complete(f.channel());
                        } else {
                          connected.fail(f.cause());
                        }
                      });
              return connected.future();
            });
  }

  /** The flows held now, for the connection list. */
  public UdpFlows flows() {
    return flows;
  }

  @Override
  public int actualPort() {
    return inbound == null ? port : ((InetSocketAddress) inbound.localAddress()).getPort();
  }

  /** Stops listening and ends every flow: UDP has no goodbye to wait for. */
  @Override
  public Future<?> stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    Promise<Void> closed = Promise.promise();
    if (inbound == null) {
      return Future.succeededFuture();
    }
    inbound
        .close()
        .addListener(
            f -> {
              flows.endAll();
              closed.complete();
            });
    return closed.future();
  }
}
