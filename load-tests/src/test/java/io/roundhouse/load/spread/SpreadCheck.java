package io.roundhouse.load.spread;

import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.admin.NodeStats;
import io.roundhouse.load.admin.NodesSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the balancer's counters before a run and again after it, and judges how the connections in
 * between were spread over the nodes of one service.
 */
public final class SpreadCheck {

  private static final Logger LOG = LoggerFactory.getLogger(SpreadCheck.class);

  /** The longest the end-of-run check waits for the nodes' reports to catch up. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private static final Duration POLL = Duration.ofMillis(100);

  /** Nodes publish their counters every 500 ms; two equal reads further apart are settled. */
  private static final Duration REPORT_PERIOD = Duration.ofMillis(600);

  public enum Expect {
    /** Every node near its fair share: a balancer spread the load. */
    EVEN,
    /** One node took (almost) everything: no balancer was in the way. */
    ONE_NODE
  }

  private final AdminClient admin;
  private final String service;
  private final Counter counter;
  private final Expect expect;
  private final double tolerance;
  private final LongSupplier expectedTotal;
  private final int pileUpPort;
  private volatile NodesSnapshot before;

  /**
   * @param expectedTotal how many connections the run made, as far as the simulation knows; the
   *     check waits (up to {@link #SETTLE}) until the counters add up to at least this
   * @param pileUpPort for {@link Expect#ONE_NODE}, the port of the node that must take the pile; 0
   *     for any
   */
  public SpreadCheck(
      AdminClient admin,
      String service,
      Counter counter,
      Expect expect,
      double tolerance,
      LongSupplier expectedTotal,
      int pileUpPort) {
    this.admin = admin;
    this.service = service;
    this.counter = counter;
    this.expect = expect;
    this.tolerance = tolerance;
    this.expectedTotal = expectedTotal;
    this.pileUpPort = pileUpPort;
  }

  /** Call before the load starts; fails when the admin API is unreachable or lists no nodes. */
  public void takeBefore() {
    try {
      NodesSnapshot first = admin.nodes();
      if (first.service(service).isEmpty()) {
        throw new IllegalStateException(
            "the balancer at " + admin.nodesUri() + " lists no " + service + " nodes");
      }
      if (counter == Counter.REPORTED) {
        first = settledReports(first);
      }
      before = first;
      LOG.info(
          "{} nodes before the run ({}): {}",
          service,
          counter.description(),
          first.service(service).values().stream().map(n -> n.id() + "=" + counter.of(n)).toList());
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + admin.nodesUri(), e);
    }
  }

  /** Call after the load; blocks up to about {@link #SETTLE}. Logs the per-node table. */
  public Verdict evaluate() throws IOException, InterruptedException {
    if (before == null) {
      throw new IllegalStateException("takeBefore() was not called");
    }
    long expected = expectedTotal.getAsLong();
    long deadline = System.nanoTime() + SETTLE.toNanos();
    NodesSnapshot after = admin.nodes();
    List<NodeCount> counts = Spread.deltas(before, after, service, counter);
    while (sum(counts) < expected && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      after = admin.nodes();
      counts = Spread.deltas(before, after, service, counter);
    }
    if (sum(counts) < expected) {
      LOG.warn(
          "{} counted {} {} connections but the simulation made {}; judging what was counted",
          admin.nodesUri(),
          sum(counts),
          service,
          expected);
    }
    String title =
        String.format(
            Locale.ROOT,
            "Spread of %s connections %s, expecting %s, tolerance %.0f%%:",
            service,
            counter.description(),
            expect == Expect.EVEN ? "an even spread" : "one node to take them all",
            100 * tolerance);
    Verdict verdict =
        expect == Expect.EVEN
            ? Spread.even(title, counts, tolerance)
            : Spread.oneNode(title, counts, tolerance, nodeOnPort(after));
    String table = SpreadTable.render(verdict);
    if (verdict.passed()) {
      LOG.info("{}{}", System.lineSeparator(), table);
    } else {
      LOG.error("{}{}", System.lineSeparator(), table);
    }
    return verdict;
  }

  private String nodeOnPort(NodesSnapshot after) {
    if (pileUpPort == 0) {
      return null;
    }
    return after.service(service).values().stream()
        .filter(n -> n.port() == pileUpPort)
        .map(NodeStats::id)
        .findFirst()
        .orElse(null);
  }

  private NodesSnapshot settledReports(NodesSnapshot first)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    NodesSnapshot previous = first;
    while (System.nanoTime() < deadline) {
      Thread.sleep(REPORT_PERIOD.toMillis());
      NodesSnapshot next = admin.nodes();
      if (reported(next).equals(reported(previous))) {
        return next;
      }
      previous = next;
    }
    return previous;
  }

  private List<Long> reported(NodesSnapshot s) {
    return s.service(service).values().stream().map(counter::of).toList();
  }

  private static long sum(List<NodeCount> counts) {
    return counts.stream().mapToLong(NodeCount::count).sum();
  }
}
