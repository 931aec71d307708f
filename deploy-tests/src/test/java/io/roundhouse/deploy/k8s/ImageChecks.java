package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.nonNull;
import static io.roundhouse.deploy.k8s.Model.parseInt;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.roundhouse.deploy.k8s.Manifests.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The images the pods run, and the Dockerfiles they are built from. */
final class ImageChecks {

  private ImageChecks() {}

  /** Images are roundhouse/&lt;service&gt; with a pinned tag, in the Deployment of that name. */
  static List<String> images(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        String image = c.getImage();
        Optional<RoundhouseService> service = RoundhouseService.ofImage(image);
        if (service.isEmpty()) {
          problems.add(id(d) + ": image " + image + " is not roundhouse/<service>");
          continue;
        }
        if (!d.getMetadata().getName().equals(service.get().module())) {
          problems.add(id(d) + ": runs " + image + "; name it " + service.get().module());
        }
        String tag = image.substring(service.get().image().length());
        if (tag.isEmpty() || tag.equals(":latest")) {
          problems.add(id(d) + ": image " + image + " has no pinned tag");
        }
      }
    }
    return problems;
  }

  /**
   * When {@code <module>/Dockerfile} exists: its final stage EXPOSEs the ports the pod declares
   * (the event bus port aside, which only the manifests fix), and a numeric USER is the pod's
   * runAsUser.
   */
  static List<String> dockerfiles(Manifests m, Path repoRoot) {
    if (repoRoot == null) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
        if (service.isEmpty()) {
          continue;
        }
        Path dockerfile = repoRoot.resolve(service.get().module()).resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
          continue;
        }
        Set<Integer> declared = new TreeSet<>();
        nonNull(c.getPorts()).forEach(p -> declared.add(p.getContainerPort()));
        Env eventBus = m.effectiveEnv(d, c).get(RoundhouseService.EVENTBUS_PORT);
        PodSecurityContext pod = d.getSpec().getTemplate().getSpec().getSecurityContext();
        Long runAsUser = pod == null ? null : pod.getRunAsUser();
        if (c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null) {
          runAsUser = c.getSecurityContext().getRunAsUser();
        }
        problems.addAll(
            dockerfileMismatches(
                dockerfile,
                id(d),
                declared,
                eventBus == null ? null : parseInt(eventBus.value()),
                runAsUser));
      }
    }
    return problems;
  }

  /** The Dockerfile half of {@link #dockerfiles}, for one file. */
  static List<String> dockerfileMismatches(
      Path dockerfile, String deployment, Set<Integer> declared, Integer eventBusPort, Long uid) {
    String text;
    try {
      text = Files.readString(dockerfile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String stripped = line.strip();
      if (current.isEmpty() && stripped.startsWith("#")) {
        continue;
      }
      if (stripped.endsWith("\\")) {
        current.append(stripped, 0, stripped.length() - 1).append(' ');
      } else {
        lines.add(current.append(stripped).toString());
        current.setLength(0);
      }
    }
    Set<Integer> exposed = new TreeSet<>();
    String user = null;
    List<String> problems = new ArrayList<>();
    for (String line : lines) {
      String[] words = line.split("\\s+", 2);
      String instruction = words[0].toUpperCase();
      String args = words.length > 1 ? words[1] : "";
      switch (instruction) {
        case "FROM" -> { // a new stage: only the last one is the image
          exposed.clear();
          user = null;
        }
        case "EXPOSE" -> {
          for (String token : args.split("\\s+")) {
            Matcher m = Pattern.compile("(\\d+)(/tcp)?", Pattern.CASE_INSENSITIVE).matcher(token);
            if (m.matches()) {
              exposed.add(Integer.parseInt(m.group(1)));
            } else if (!token.isEmpty()) {
              problems.add(dockerfile + ": cannot check EXPOSE " + token);
            }
          }
        }
        case "USER" -> user = args.strip();
        default -> {}
      }
    }
    String where = deployment + " vs " + dockerfile;
    for (int port : exposed) {
      if (!declared.contains(port)) {
        problems.add(where + ": EXPOSE " + port + " is not a container port");
      }
    }
    for (int port : declared) {
      if (!exposed.contains(port) && !Objects.equals(port, eventBusPort)) {
        problems.add(where + ": container port " + port + " is not EXPOSEd");
      }
    }
    if (user != null && uid != null) {
      String name = user.split(":", 2)[0];
      if (name.matches("\\d+") && Long.parseLong(name) != uid) {
        problems.add(where + ": USER " + user + " but runAsUser " + uid);
      }
    }
    return problems;
  }
}
