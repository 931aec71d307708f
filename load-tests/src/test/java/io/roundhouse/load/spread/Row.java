package io.roundhouse.load.spread;

/**
 * One line of the per-node table.
 *
 * @param share this node's fraction of the total, 0 to 1
 * @param fair the count an even spread would give this node
 */
public record Row(
    String node,
    String service,
    long count,
    double share,
    double fair,
    boolean ok,
    String verdict) {}
