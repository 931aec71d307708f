package io.roundhouse.load.spread;

import java.util.Locale;

/** The per-node table printed at the end of a run, as plain text. */
public final class SpreadTable {

  private static final String FORMAT = "  %-12s %-8s %11s %7s %13s  %s%n";

  private SpreadTable() {}

  public static String render(Verdict verdict) {
    StringBuilder out = new StringBuilder();
    out.append(verdict.title()).append(System.lineSeparator());
    out.append(
        String.format(
            Locale.ROOT,
            FORMAT,
            "node",
            "service",
            "connections",
            "share",
            "fair share",
            "verdict"));
    for (Row r : verdict.rows()) {
      out.append(
          String.format(
              Locale.ROOT,
              FORMAT,
              r.node(),
              r.service(),
              r.count(),
              String.format(Locale.ROOT, "%.1f%%", 100 * r.share()),
              String.format(Locale.ROOT, "%.1f", r.fair()),
              r.verdict()));
    }
    out.append(
        String.format(
            Locale.ROOT, "  %s: %s", verdict.passed() ? "PASSED" : "FAILED", verdict.message()));
    return out.toString();
  }
}
