package io.roundhouse.lb.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a client channel's bytes each way, first in its pipeline (before any codec), for a
 * connection whose bytes are not spliced: an HTTP keep-alive connection, and the client leg of the
 * tunnel it may become. Passes everything on untouched.
 */
public final class ChannelTraffic extends ChannelDuplexHandler implements Traffic {

  public static final String NAME = "roundhouse-traffic";

  private volatile long read;
  private volatile long written;
  private volatile long lastRead;

  @Override
  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the channel's event loop
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    read += size(msg);
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    lastRead = System.nanoTime();
    ctx.fireChannelReadComplete();
  }

  @Override
  @SuppressWarnings("NonAtomicVolatileUpdate")
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    written += size(msg);
    ctx.write(msg, promise);
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf buf) {
      return buf.readableBytes();
    }
    return msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
  }

  @Override
  public long bytesFromClient() {
    return read;
  }

  @Override
  public long bytesToClient() {
    return written;
  }

  @Override
  public long lastActiveNanos() {
    return lastRead;
  }
}
