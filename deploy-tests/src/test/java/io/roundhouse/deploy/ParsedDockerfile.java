package io.roundhouse.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way the builder reads it, as far as these tests need: comments dropped,
 * continuation lines joined, one instruction and its arguments per entry.
 */
final class ParsedDockerfile {

  /** One instruction: its keyword in upper case and the rest of the (joined) line. */
  record Instruction(String keyword, String args) {}

  private final List<Instruction> instructions;

  private ParsedDockerfile(List<Instruction> instructions) {
    this.instructions = List.copyOf(instructions);
  }

  static ParsedDockerfile read(Path file) {
    return parse(ContainerServices.read(file));
  }

  static ParsedDockerfile parse(String text) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = null;
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (current != null && trimmed.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      boolean continues = trimmed.endsWith("\\");
      String part = continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
      if (current == null) {
        current = new StringBuilder(part);
      } else {
        current.append(' ').append(part);
      }
      if (!continues) {
        String whole = current.toString().strip();
        int space = whole.indexOf(' ');
        String keyword = (space < 0 ? whole : whole.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : whole.substring(space + 1).strip();
        out.add(new Instruction(keyword, args));
        current = null;
      }
    }
    if (current != null) {
      throw new IllegalArgumentException("the last instruction ends in a continuation");
    }
    return new ParsedDockerfile(out);
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The arguments of the last such instruction (the one that counts), or null. */
  String last(String keyword) {
    List<Instruction> found = all(keyword);
    return found.isEmpty() ? null : found.get(found.size() - 1).args();
  }

  private static final Pattern ENV_PAIR =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

  /** Every ENV, in the {@code KEY=value} form (quotes removed), later ones winning. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction i : all("ENV")) {
      Matcher m = ENV_PAIR.matcher(i.args());
      int matched = 0;
      while (m.find()) {
        String v = m.group(2);
        if (v.startsWith("\"")) {
          v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
        }
        env.put(m.group(1), v);
        matched++;
      }
      if (matched == 0) {
        throw new IllegalArgumentException("ENV without KEY=value: " + i.args());
      }
    }
    return env;
  }

  /** The EXPOSEd ports (tcp unless said otherwise), as written. */
  List<String> exposed() {
    return all("EXPOSE").stream()
        .flatMap(i -> List.of(i.args().split("\\s+")).stream())
        .filter(p -> !p.isEmpty())
        .toList();
  }
}
