package io.roundhouse.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ports a started service bound, written to the file named by {@code PORT_FILE} for scripts and
 * tests that start services on port 0: one {@code name=port} line each (Java properties). Written
 * to a temporary file and moved into place, so a reader sees the whole file or none.
 */
public final class PortFile {

  /** The setting that names the file; unset writes none. */
  public static final String SETTING = "PORT_FILE";

  private PortFile() {}

  public static void write(Path file, Map<String, Integer> ports) throws IOException {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(ports)
        .forEach((name, port) -> text.append(name).append('=').append(port).append('\n'));
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, absolute.getFileName().toString(), ".tmp");
    Files.writeString(temporary, text, StandardCharsets.US_ASCII);
    Files.move(
        temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
