package io.roundhouse.lb.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.roundhouse.lb.backend.Lease;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.lb.conn.Traffic;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;

/**
 * One client's flow: its datagrams go to one backend through an outbound socket of its own,
 * connected to that backend (the kernel drops datagrams from anyone else), and the backend's
 * replies go back to the client from the frontend's socket. Runs on the frontend's event loop.
 *
 * <p>States, one way only: {@code CHOOSING} (a backend is being chosen; datagrams wait, up to a
 * bound), {@code RELAYING}, {@code ENDED}. Nothing is ever queued while relaying: a datagram that
 * finds its socket full is dropped and counted, as the network itself would.
 */
final class UdpFlow extends ChannelInboundHandlerAdapter implements Traffic {

  enum State {
    CHOOSING,
    RELAYING,
    ENDED
  }

  private final InetSocketAddress client;
  private final Channel inbound;
  private final UdpMeters meters;
  private final int pendingMax;
  private final Runnable onBackendGone;
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>(2);
  private State state = State.CHOOSING;
  private Lease<Channel> lease;
  // Volatile: the connection list reads them from the admin's thread.
  private volatile long lastActive;
  private volatile long fromClientBytes;
  private volatile long toClientBytes;
  private LiveConnection live;

  /** Whether the backend has been judged for this flow (a reply, a refusal or silence). */
  private boolean judged;

  /**
   * @param onBackendGone ends this flow in its table when the backend refuses it
   */
  UdpFlow(
      InetSocketAddress client,
      Channel inbound,
      UdpMeters meters,
      int pendingMax,
      long now,
      Runnable onBackendGone) {
    this.client = client;
    this.inbound = inbound;
    this.meters = meters;
    this.pendingMax = pendingMax;
    this.lastActive = now;
    this.onBackendGone = onBackendGone;
  }

  /** Lists the flow as {@code entry}, which shows its traffic from now on. */
  void listed(LiveConnection entry) {
    live = entry.countedBy(this);
  }

  LiveConnection live() {
    return live;
  }

  @Override
  public long bytesFromClient() {
    return fromClientBytes;
  }

  @Override
  public long bytesToClient() {
    return toClientBytes;
  }

  @Override
  public long lastActiveNanos() {
    return lastActive;
  }

  InetSocketAddress client() {
    return client;
  }

  State state() {
    return state;
  }

  long lastActive() {
    return lastActive;
  }

  /** The backend's address, once relaying. */
  InetSocketAddress backend() {
    return lease == null ? null : (InetSocketAddress) lease.value().remoteAddress();
  }

  /** The outbound socket's own address: the balancer's ephemeral port toward the backend. */
  InetSocketAddress outboundLocal() {
    return lease == null ? null : (InetSocketAddress) lease.value().localAddress();
  }

  /** A datagram from the client; takes ownership of {@code payload}. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the frontend's event loop
  void fromClient(ByteBuf payload, long now) {
    lastActive = now;
    fromClientBytes += payload.readableBytes();
    switch (state) {
      case CHOOSING -> {
        if (pending.size() < pendingMax) {
          pending.add(payload);
        } else {
          payload.release();
          meters.dropped(UdpMeters.Drop.PENDING_FULL);
        }
      }
      case RELAYING -> write(lease.value(), payload);
      case ENDED -> payload.release();
    }
  }

  /** A backend took the flow: what waited goes out, in order. */
  void relayTo(Lease<Channel> chosen) {
    if (state == State.ENDED) {
      chosen.value().close();
      chosen.release();
      return;
    }
    lease = chosen;
    state = State.RELAYING;
    if (live != null) {
      live.outbound(chosen.backend().id(), chosen.value());
    }
    while (!pending.isEmpty()) {
      write(chosen.value(), pending.poll());
    }
  }

  /** No backend took it: what waited is dropped. */
  void noBackend() {
    pending.forEach(
        b -> {
          b.release();
          meters.dropped(UdpMeters.Drop.NO_BACKEND);
        });
    pending.clear();
  }

  private void write(Channel to, ByteBuf payload) {
    if (to.isWritable()) {
      to.writeAndFlush(payload, to.voidPromise());
    } else {
      payload.release();
      meters.dropped(UdpMeters.Drop.UNWRITABLE);
    }
  }

  /** A reply from the backend, on the outbound socket. */
  @Override
  @SuppressWarnings("NonAtomicVolatileUpdate")
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket reply) || state != State.RELAYING) {
      ReferenceCountUtil.release(msg);
      return;
    }
    int bytes = reply.content().readableBytes();
    meters.fromBackend(bytes);
    lastActive = System.nanoTime();
    if (!judged) {
      judged = true;
      lease.succeeded();
    }
    if (inbound.isWritable()) {
      toClientBytes += bytes;
      inbound.writeAndFlush(new DatagramPacket(reply.content(), client), inbound.voidPromise());
    } else {
      reply.release();
      meters.dropped(UdpMeters.Drop.UNWRITABLE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof PortUnreachableException && state == State.RELAYING) {
      meters.dropped(UdpMeters.Drop.BACKEND_UNREACHABLE);
      if (!judged) {
        judged = true;
        lease.failed(cause);
      }
      onBackendGone.run();
    }
  }

  /** Ends the flow: its socket closes and its backend's count is released; safe to call again. */
  void end() {
    if (state == State.ENDED) {
      return;
    }
    State was = state;
    state = State.ENDED;
    pending.forEach(ByteBuf::release);
    pending.clear();
    if (was == State.RELAYING) {
      if (!judged) {
        judged = true;
        meters.unanswered();
        lease.failed(new TimeoutException("no reply from the backend before the flow went idle"));
      }
      lease.value().close();
      lease.release();
    }
  }
}
