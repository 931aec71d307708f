package io.roundhouse.lb;

import io.roundhouse.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own, joined to the host by a veth pair on a private /30: the
 * host side is {@code 10.231.1.1}, the namespace's {@code 10.231.1.2}. {@link #cut} makes the
 * namespace's firewall drop every packet over the veth, both ways, so to the host the other side
 * goes silent as behind a dead link (SYNs unanswered, data unacknowledged); {@link #heal} lifts it.
 * Needs root, {@code ip} and {@code iptables}. Closing stops what runs inside, by PID, and deletes
 * the namespace and the veth.
 */
final class NetworkNamespace implements AutoCloseable {

  static final String HOST_ADDRESS = "10.231.1.1";
  static final String ADDRESS = "10.231.1.2";
  private static final String SUBNET = "10.231.1.0/30";
  private static final long COMMAND_TIMEOUT_SECONDS = 20;

  private final String name;
  private final String hostVeth;
  private final String veth;
  private final List<Process> inside = new ArrayList<>();
  private boolean cut;

  private NetworkNamespace(String name) {
    this.name = name;
    this.hostVeth = name + "h";
    this.veth = name + "n";
  }

  /** Whether this process may create namespaces: root, with {@code ip} and {@code iptables}. */
  static boolean available() {
    return "root".equals(System.getProperty("user.name"))
        && succeeds("ip", "netns", "list")
        && succeeds("iptables", "--version");
  }

  static NetworkNamespace create() {
    if (!run("ip", "-o", "addr", "show", "to", SUBNET).isBlank()) {
      throw new IllegalStateException(SUBNET + " is already in use on this host");
    }
    NetworkNamespace ns = new NetworkNamespace("rhit" + ProcessHandle.current().pid());
    try {
      run("ip", "netns", "add", ns.name);
      run(
          "ip",
          "link",
          "add",
          ns.hostVeth,
          "type",
          "veth",
          "peer",
          "name",
          ns.veth,
          "netns",
          ns.name);
      run("ip", "addr", "add", HOST_ADDRESS + "/30", "dev", ns.hostVeth);
      run("ip", "link", "set", ns.hostVeth, "up");
      run("ip", "-n", ns.name, "addr", "add", ADDRESS + "/30", "dev", ns.veth);
      run("ip", "-n", ns.name, "link", "set", ns.veth, "up");
      run("ip", "-n", ns.name, "link", "set", "lo", "up");
      return ns;
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  /**
   * Starts {@link NamespaceEcho} inside, on {@link #ADDRESS}, and returns its port once it listens.
   */
  int startEcho(Path workDir) {
    Path portFile = workDir.resolve("echo-" + name + ".port");
    try {
      Files.deleteIfExists(portFile);
      Files.createDirectories(workDir);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process echo =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  name,
                  java,
                  "-Xmx32m",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  NamespaceEcho.class.getName(),
                  ADDRESS,
                  portFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(workDir.resolve("echo-" + name + ".log").toFile())
              .start();
      inside.add(echo);
      Eventually.until(
          Duration.ofSeconds(30),
          "the namespace's echo server writes its port",
          () -> Files.exists(portFile) || !echo.isAlive());
      if (!echo.isAlive()) {
        throw new IllegalStateException("the namespace's echo server exited: " + echo.exitValue());
      }
      return Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops every packet over the veth, both ways, inside the namespace. */
  void cut() {
    run(dropRule("-I", "INPUT"));
    cut = true;
    run(dropRule("-I", "OUTPUT"));
  }

  void heal() {
    run(dropRule("-D", "INPUT"));
    run(dropRule("-D", "OUTPUT"));
    cut = false;
  }

  /** The namespace's iptables command that inserts or deletes the DROP rule of one direction. */
  private String[] dropRule(String operation, String chain) {
    String direction = chain.equals("INPUT") ? "-i" : "-o";
    List<String> command =
        new ArrayList<>(List.of("ip", "netns", "exec", name, "iptables", "-w", "5", operation));
    command.add(chain);
    if (operation.equals("-I")) {
      command.add("1");
    }
    command.addAll(List.of(direction, veth, "-j", "DROP"));
    return command.toArray(String[]::new);
  }

  @Override
  public void close() {
    for (Process p : inside) {
      p.destroyForcibly();
      try {
        p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (cut) {
      succeeds(dropRule("-D", "INPUT"));
      succeeds(dropRule("-D", "OUTPUT"));
    }
    // Deleting the namespace deletes its end of the veth, and with it the host's end.
    succeeds("ip", "netns", "del", name);
    if (succeeds("ip", "link", "show", hostVeth)) {
      succeeds("ip", "link", "del", hostVeth);
    }
  }

  private static boolean succeeds(String... command) {
    try {
      run(command);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": no exit within bound");
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + p.exitValue() + ": " + output.trim());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
