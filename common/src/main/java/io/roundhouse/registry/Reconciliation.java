package io.roundhouse.registry;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one anti-entropy pass changes in a watcher's view, decided from a snapshot of the map.
 *
 * <p>A snapshot is trusted less than a push: it was taken some time before it is read, and one
 * taken while partitions move (after a member left or a merge) can miss entries. So it brings up
 * instances it holds whose member is live, but takes down only instances whose own member is no
 * longer live; a node that deregistered while its member stays is taken down by the removal push.
 * Ids pushed since the snapshot was asked for are left as the push set them.
 *
 * @param ups instances to report up: new, or changed since last reported
 * @param downs ids to report down
 */
record Reconciliation(List<ServiceInstance> ups, List<String> downs) {

  Reconciliation {
    ups = List.copyOf(ups);
    downs = List.copyOf(downs);
  }

  /**
   * @param known what the watcher reported so far, by id
   * @param snapshot the map's entries, already parsed
   * @param liveMembers the members of this member's cluster now
   * @param pushedSince ids an entry push changed after the snapshot was asked for
   */
  static Reconciliation of(
      Map<String, ServiceInstance> known,
      Collection<ServiceInstance> snapshot,
      Set<String> liveMembers,
      Set<String> pushedSince) {
    Map<String, ServiceInstance> live = new HashMap<>();
    for (ServiceInstance i : snapshot) {
      if (liveMembers.contains(i.memberId()) && !pushedSince.contains(i.id())) {
        live.put(i.id(), i);
      }
    }
    List<ServiceInstance> ups =
        live.values().stream()
            .filter(i -> !i.equals(known.get(i.id())))
            .sorted(Comparator.comparing(ServiceInstance::id))
            .toList();
    List<String> downs =
        known.values().stream()
            .filter(i -> !live.containsKey(i.id()) && !pushedSince.contains(i.id()))
            .filter(i -> !liveMembers.contains(i.memberId()))
            .map(ServiceInstance::id)
            .sorted()
            .toList();
    return new Reconciliation(ups, downs);
  }
}
