package io.roundhouse.lb.conn;

import io.roundhouse.net.SpliceLeg;

/** A spliced connection's traffic, as its two legs count what they read. */
public record SpliceTraffic(SpliceLeg inbound, SpliceLeg outbound) implements Traffic {

  @Override
  public long bytesFromClient() {
    return inbound.bytesRead();
  }

  @Override
  public long bytesToClient() {
    return outbound.bytesRead();
  }

  @Override
  public long lastActiveNanos() {
    long in = inbound.lastReadNanos();
    long out = outbound.lastReadNanos();
    return in == 0 || (out != 0 && out - in > 0) ? out : in;
  }
}
