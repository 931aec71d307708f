package io.roundhouse.stats;

import com.sun.management.UnixOperatingSystemMXBean;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process's file descriptors: open now, and the limit ({@code RLIMIT_NOFILE}). Read through
 * {@link UnixOperatingSystemMXBean}, which lists {@code /proc/self/fd}; several nodes in one
 * process (tests) share one reading for {@link #MAX_AGE_NANOS}, so many nodes do not list it many
 * times.
 *
 * @param open descriptors open now
 * @param max the most the process may open
 */
public record FdStats(long open, long max) {

  static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private static final AtomicReference<Reading> LAST = new AtomicReference<>();

  private record Reading(long atNanos, FdStats stats) {}

  /** The process's descriptors now (or a reading a few hundred ms old); null off Unix. */
  public static FdStats current() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof UnixOperatingSystemMXBean unix)) {
      return null;
    }
    long now = System.nanoTime();
    Reading last = LAST.get();
    if (last != null && now - last.atNanos() < MAX_AGE_NANOS) {
      return last.stats();
    }
    long open = unix.getOpenFileDescriptorCount();
    long max = unix.getMaxFileDescriptorCount();
    FdStats stats = open < 0 || max <= 0 ? null : new FdStats(open, max);
    LAST.set(new Reading(now, stats));
    return stats;
  }

  public JsonObject toJson() {
    return new JsonObject().put("open", open).put("max", max);
  }

  public static FdStats fromJson(JsonObject json) {
    return new FdStats(json.getLong("open", 0L), json.getLong("max", 0L));
  }
}
