package io.roundhouse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The settings (environment variables) the services read, found in their main sources: every string
 * literal given to a {@code Settings} getter ({@code s.string("X", ...)}, {@code
 * settings.find("X")}, ...), plus the two read outside them.
 */
final class SettingsScan {

  private static final Pattern GETTER =
      Pattern.compile(
          "\\.(?:string|port|integer|duration|bool|host|list|enumValue|find|required)"
              + "\\(\\s*\"([A-Z][A-Z0-9_]*)\"");

  private static final Pattern CONSTANT =
      Pattern.compile("static final String [A-Z_]+ = \"([A-Z][A-Z0-9_]*)\";");

  private static final String[] MODULES = {"common", "echo-service", "ws-service", "lb-service"};

  private SettingsScan() {}

  /** Every setting name read by some service. */
  static Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (String module : MODULES) {
      Path src = RepoRoot.path().resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(src)) {
        files
            .filter(f -> f.toString().endsWith(".java"))
            .forEach(
                f -> {
                  String text = ContainerServices.read(f);
                  Matcher m = GETTER.matcher(text);
                  while (m.find()) {
                    keys.add(m.group(1));
                  }
                  // Settings.CONFIG_FILE: ROUNDHOUSE_CONFIG, read through a constant.
                  if (f.endsWith("Settings.java")) {
                    Matcher c = CONSTANT.matcher(text);
                    while (c.find()) {
                      keys.add(c.group(1));
                    }
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // Read by logback's configuration, not through Settings.
    if (hasLogLevelSetting()) {
      keys.add("ROUNDHOUSE_LOG_LEVEL");
    }
    return keys;
  }

  private static boolean hasLogLevelSetting() {
    Path logback = RepoRoot.path().resolve("common/src/main/resources/logback.xml");
    return Files.isRegularFile(logback)
        && ContainerServices.read(logback).contains("ROUNDHOUSE_LOG_LEVEL");
  }
}
