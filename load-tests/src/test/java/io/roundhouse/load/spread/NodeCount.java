package io.roundhouse.load.spread;

/** How many connections (or requests) one node took during a run. */
public record NodeCount(String node, String service, long count) {

  public NodeCount {
    if (count < 0) {
      throw new IllegalArgumentException("node " + node + " has a negative count: " + count);
    }
  }
}
