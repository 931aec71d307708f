package io.roundhouse.stats;

import io.vertx.core.json.JsonObject;

/**
 * What a node's UDP socket reports about itself, beside its connection counts.
 *
 * @param datagramsIn datagrams accepted for echo since start
 * @param datagramsOut datagrams sent back since start
 * @param bytesIn payload bytes accepted since start
 * @param bytesOut payload bytes sent back since start
 * @param dropped datagrams not echoed since start, whatever the reason
 * @param peersActive peers heard from recently (the node's bounded peer table)
 */
public record DatagramStats(
    long datagramsIn,
    long datagramsOut,
    long bytesIn,
    long bytesOut,
    long dropped,
    long peersActive) {

  /** A socket that has seen nothing yet. */
  public static final DatagramStats NONE = new DatagramStats(0, 0, 0, 0, 0, 0);

  public JsonObject toJson() {
    return new JsonObject()
        .put("datagramsIn", datagramsIn)
        .put("datagramsOut", datagramsOut)
        .put("bytesIn", bytesIn)
        .put("bytesOut", bytesOut)
        .put("dropped", dropped)
        .put("peersActive", peersActive);
  }

  public static DatagramStats fromJson(JsonObject json) {
    return new DatagramStats(
        json.getLong("datagramsIn", 0L),
        json.getLong("datagramsOut", 0L),
        json.getLong("bytesIn", 0L),
        json.getLong("bytesOut", 0L),
        json.getLong("dropped", 0L),
        json.getLong("peersActive", 0L));
  }
}
