package io.roundhouse.deploy.k8s;

import java.util.List;
import java.util.function.Function;

/** One consistency check over a rendered set of manifests. */
public interface Check {

  String name();

  /** The problems found, as sentences naming the object; none means the check passed. */
  List<String> run(Manifests manifests);

  static Check of(String name, Function<Manifests, List<String>> run) {
    return new Named(name, run);
  }

  /** A check that is a function under a name. */
  record Named(String name, Function<Manifests, List<String>> body) implements Check {

    @Override
    public List<String> run(Manifests manifests) {
      return body.apply(manifests);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
