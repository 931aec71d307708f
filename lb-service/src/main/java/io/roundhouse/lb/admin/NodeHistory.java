package io.roundhouse.lb.admin;

import io.vertx.core.json.JsonArray;

/**
 * The last {@link #CAPACITY} samples of one node, oldest first: a fixed ring, so a node that stays
 * for days costs the same as one that stays for minutes.
 */
final class NodeHistory {

  /** Five minutes at one sample a second. */
  static final int CAPACITY = 300;

  private static final long NO_REPORT = -1;

  private final long[] times = new long[CAPACITY];
  private final long[] lbActive = new long[CAPACITY];
  private final long[] reportedActive = new long[CAPACITY];
  private int start;
  private int size;

  /**
   * @param time epoch milliseconds of the sample
   * @param lb connections the balancer has open to the node
   * @param reported connections the node says it has open, or null before its first report
   */
  void add(long time, long lb, Long reported) {
    int slot = (start + size) % CAPACITY;
    if (size == CAPACITY) {
      start = (start + 1) % CAPACITY;
    } else {
      size++;
    }
    times[slot] = time;
    lbActive[slot] = lb;
    reportedActive[slot] = reported == null ? NO_REPORT : reported;
  }

  int size() {
    return size;
  }

  /** {@code [[time, lbActive, reportedActive or null], ...]}, oldest first. */
  JsonArray toJson() {
    JsonArray points = new JsonArray();
    for (int i = 0; i < size; i++) {
      int slot = (start + i) % CAPACITY;
      long reported = reportedActive[slot];
      points.add(
          new JsonArray()
              .add(times[slot])
              .add(lbActive[slot])
              .add(reported == NO_REPORT ? null : reported));
    }
    return points;
  }
}
