package io.roundhouse.testing;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample out of a Prometheus text exposition, for tests that scrape {@code /metrics}. */
public final class PrometheusText {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PrometheusText() {}

  /** The value of the sample with this name whose labels include all of {@code labels}. */
  public static Optional<Double> value(String text, String name, Map<String, String> labels) {
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line.trim());
      if (!line.startsWith("#") && sample.matches() && sample.group(1).equals(name)) {
        if (hasLabels(sample.group(3) == null ? "" : sample.group(3), labels)) {
          return Optional.of(Double.parseDouble(sample.group(4)));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean hasLabels(String labelText, Map<String, String> wanted) {
    Matcher label = LABEL.matcher(labelText);
    int found = 0;
    while (label.find()) {
      if (label.group(2).equals(wanted.get(label.group(1)))) {
        found++;
      }
    }
    return found == wanted.size();
  }
}
