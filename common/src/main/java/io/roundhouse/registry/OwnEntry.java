package io.roundhouse.registry;

import io.roundhouse.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * What the registry map holds for a backend's own id, judged against what the backend would write
 * now. Anything but {@link Verdict#CURRENT} means the backend writes its entry again.
 */
final class OwnEntry {

  /** How the stored entry compares with the one the backend would write. */
  enum Verdict {
    /** Exactly the entry the backend would write. */
    CURRENT,
    /**
     * No entry: purged while this member was counted gone (a pause past the heartbeat), dropped by
     * a merge, or lost with the partitions of members that left together.
     */
    MISSING,
    /**
     * Written by another member: this node's earlier member before a merge gave it a new UUID,
     * which balancers no longer count as live.
     */
    OTHER_MEMBER,
    /** Same member, other address or service: overwritten by someone else. */
    CHANGED,
    /** Not a readable entry. */
    MALFORMED;

    boolean needsWrite() {
      return this != CURRENT;
    }
  }

  private OwnEntry() {}

  static Verdict judge(String stored, ServiceInstance wanted) {
    if (stored == null) {
      return Verdict.MISSING;
    }
    ServiceInstance found;
    try {
      found = ServiceInstance.fromJson(new JsonObject(stored));
    } catch (DecodeException
        | IllegalArgumentException
        | ClassCastException
        | ConfigException e) { // a missing or blank field
      return Verdict.MALFORMED;
    }
    if (found.equals(wanted)) {
      return Verdict.CURRENT;
    }
    return found.memberId().equals(wanted.memberId()) ? Verdict.CHANGED : Verdict.OTHER_MEMBER;
  }
}
