package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.request;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** CPU and memory requests and limits. */
final class ResourceChecks {

  private ResourceChecks() {}

  /** CPU and memory requests and limits on every container, each request within its limit. */
  static List<String> resources(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        for (String resource : List.of("cpu", "memory")) {
          Optional<Quantity> request = request(c, resource);
          Optional<Quantity> limit =
              Optional.ofNullable(c.getResources())
                  .map(ResourceRequirements::getLimits)
                  .map(l -> l.get(resource));
          if (request.isEmpty() || limit.isEmpty()) {
            problems.add(where + ": no " + resource + " request and limit");
            continue;
          }
          try {
            BigDecimal r = Quantity.getAmountInBytes(request.get());
            BigDecimal l = Quantity.getAmountInBytes(limit.get());
            if (r.signum() <= 0 || r.compareTo(l) > 0) {
              problems.add(
                  where
                      + ": "
                      + resource
                      + " request "
                      + request.get()
                      + " is not within the limit "
                      + limit.get());
            }
          } catch (RuntimeException e) {
            problems.add(where + ": " + resource + " is not a quantity: " + e.getMessage());
          }
        }
      }
    }
    return problems;
  }
}
