package io.roundhouse.load.spread;

import io.roundhouse.load.admin.NodeStats;
import io.roundhouse.load.admin.NodesSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spread arithmetic, on plain numbers.
 *
 * <p>Round robin can only be as even as whole connections allow, so a node passes when {@code
 * |count - fair| <= max(tolerance * fair, 1)}.
 */
public final class Spread {

  private Spread() {}

  /**
   * Per node of {@code service}, how much {@code counter} grew from {@code before} to {@code
   * after}. Nodes are those listed at the end, in the balancer's order; a node that joined during
   * the run counts from zero.
   */
  public static List<NodeCount> deltas(
      NodesSnapshot before, NodesSnapshot after, String service, Counter counter) {
    Map<String, NodeStats> start = before.service(service);
    List<NodeCount> counts = new ArrayList<>();
    for (NodeStats end : after.service(service).values()) {
      long delta = counter.of(end) - counter.of(start.get(end.id()));
      // A counter going backwards means the node restarted under the same id: count it afresh.
      counts.add(new NodeCount(end.id(), service, delta >= 0 ? delta : counter.of(end)));
    }
    return counts;
  }

  /** Passes when every node's count is within the tolerance of the fair share. */
  public static Verdict even(String title, List<NodeCount> counts, double tolerance) {
    checkTolerance(tolerance);
    long total = total(counts);
    if (counts.isEmpty() || total == 0) {
      return nothingCounted(title, counts, total);
    }
    double fair = (double) total / counts.size();
    double allowed = allowedDeviation(fair, tolerance);
    List<Row> rows = new ArrayList<>();
    List<String> off = new ArrayList<>();
    for (NodeCount c : counts) {
      double deviation = c.count() - fair;
      boolean ok = Math.abs(deviation) <= allowed;
      String verdict =
          ok
              ? "ok"
              : String.format(
                  Locale.ROOT,
                  "%s by %.1f (%+.1f%%)",
                  deviation > 0 ? "HIGH" : "LOW",
                  Math.abs(deviation),
                  100 * deviation / fair);
      rows.add(
          new Row(c.node(), c.service(), c.count(), share(c.count(), total), fair, ok, verdict));
      if (!ok) {
        off.add(
            String.format(
                Locale.ROOT,
                "%s took %d of %d (%.1f%%), fair share %.1f ± %.1f",
                c.node(),
                c.count(),
                total,
                100 * share(c.count(), total),
                fair,
                allowed));
      }
    }
    String message =
        off.isEmpty()
            ? String.format(
                Locale.ROOT,
                "%d connections over %d nodes, each within %.1f of %.1f",
                total,
                counts.size(),
                allowed,
                fair)
            : "uneven spread: " + String.join("; ", off);
    return new Verdict(title, total, rows, off.isEmpty(), message);
  }

  /**
   * Passes when a single node took at least {@code 1 - tolerance} of the total; when {@code
   * expectedNode} is given, it must be that node.
   */
  public static Verdict oneNode(
      String title, List<NodeCount> counts, double tolerance, String expectedNode) {
    checkTolerance(tolerance);
    long total = total(counts);
    if (counts.isEmpty() || total == 0) {
      return nothingCounted(title, counts, total);
    }
    NodeCount top = counts.stream().max(Comparator.comparingLong(NodeCount::count)).orElseThrow();
    double topShare = share(top.count(), total);
    boolean enough = topShare >= 1 - tolerance - 1e-9;
    boolean right = expectedNode == null || expectedNode.equals(top.node());
    double fair = (double) total / counts.size();
    List<Row> rows = new ArrayList<>();
    for (NodeCount c : counts) {
      boolean isTop = c == top;
      boolean ok = isTop ? enough && right : true;
      String verdict;
      if (isTop) {
        verdict = ok ? "ok, took the pile" : enough ? "took the pile, not " + expectedNode : "LOW";
      } else {
        verdict = c.count() == 0 ? "ok" : "ok (stray)";
      }
      rows.add(
          new Row(c.node(), c.service(), c.count(), share(c.count(), total), fair, ok, verdict));
    }
    String summary =
        String.format(
            Locale.ROOT,
            "%s took %d of %d (%.1f%%), at least %.1f%% expected",
            top.node(),
            top.count(),
            total,
            100 * topShare,
            100 * (1 - tolerance));
    String message;
    if (!enough) {
      message = "spread out, no pile-up: " + summary + " (is a balancer in the way?)";
    } else if (!right) {
      message = "piled up on the wrong node: " + summary + ", expected " + expectedNode;
    } else {
      message = summary;
    }
    return new Verdict(title, total, rows, enough && right, message);
  }

  static double allowedDeviation(double fair, double tolerance) {
    return Math.max(tolerance * fair, 1.0);
  }

  private static Verdict nothingCounted(String title, List<NodeCount> counts, long total) {
    List<Row> rows = new ArrayList<>();
    for (NodeCount c : counts) {
      rows.add(new Row(c.node(), c.service(), c.count(), 0, 0, false, "-"));
    }
    String message =
        counts.isEmpty()
            ? "no nodes of the service under test are registered"
            : "no connections were counted on any of " + counts.size() + " nodes";
    return new Verdict(title, total, rows, false, message);
  }

  private static long total(List<NodeCount> counts) {
    return counts.stream().mapToLong(NodeCount::count).sum();
  }

  private static double share(long count, long total) {
    return total == 0 ? 0 : (double) count / total;
  }

  private static void checkTolerance(double tolerance) {
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
    }
  }
}
