package io.roundhouse.lb.health;

import io.vertx.core.Future;

/** One active check of one backend: succeeds if it passed, fails with why it did not. */
interface Probe {

  Future<Void> check(Monitored backend);
}
