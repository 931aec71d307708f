package io.roundhouse.deploy.k8s;

import io.roundhouse.config.Settings;
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
 * The environment variables a module reads, found in its main sources: the names passed as string
 * literals to the {@link Settings} getters (which is how {@code NodeIds} reads {@code POD_NAME} and
 * {@code ClusterConfig} reads {@code POD_IP} too), {@code ${NAME:-default}} in its resources (what
 * logback reads), and {@link Settings#CONFIG_FILE}.
 */
public final class KnownSettings {

  private static final Pattern GETTER_CALL =
      Pattern.compile(
          "\\.\\s*(?:string|port|integer|duration|bool|host|list|enumValue|find|required)"
              + "\\(\\s*\"([A-Z][A-Z0-9_]*)\"");

  private static final Pattern RESOURCE_VARIABLE =
      Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::-[^}]*)?}");

  private KnownSettings() {}

  /** What {@code module} reads (its own sources only, not those of the modules it uses). */
  public static Set<String> ofModule(Path module) {
    Set<String> names = new TreeSet<>();
    scan(module.resolve("src/main/java"), ".java", GETTER_CALL, names);
    scan(module.resolve("src/main/resources"), ".xml", RESOURCE_VARIABLE, names);
    if (Files.isRegularFile(module.resolve("src/main/java/io/roundhouse/config/Settings.java"))) {
      names.add(Settings.CONFIG_FILE);
    }
    return names;
  }

  /** What a service reads: its own module and {@code common}. */
  public static Set<String> ofService(Path repoRoot, String module) {
    Set<String> names = new TreeSet<>(ofModule(repoRoot.resolve("common")));
    names.addAll(ofModule(repoRoot.resolve(module)));
    return names;
  }

  /** What any of the services reads. */
  public static Set<String> ofAnyService(Path repoRoot) {
    Set<String> names = new TreeSet<>();
    for (String module : new String[] {"echo-service", "ws-service", "lb-service"}) {
      names.addAll(ofService(repoRoot, module));
    }
    return names;
  }

  private static void scan(Path dir, String suffix, Pattern pattern, Set<String> names) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
        Matcher m = pattern.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
