package io.roundhouse.load.spread;

import java.util.List;

/**
 * The outcome of a spread check.
 *
 * @param title what was checked, for the table's heading
 * @param total connections counted over all nodes
 * @param rows one per node
 * @param passed whether the spread is what the simulation expects
 * @param message why it failed, or a one-line summary when it passed
 */
public record Verdict(String title, long total, List<Row> rows, boolean passed, String message) {

  public Verdict {
    rows = List.copyOf(rows);
  }
}
