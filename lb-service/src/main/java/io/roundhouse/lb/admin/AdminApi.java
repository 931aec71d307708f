package io.roundhouse.lb.admin;

import io.vertx.ext.web.Router;

/**
 * Routes another part of the balancer adds to the admin port (the balancers' list, drains, run-time
 * settings), so the admin verticle need not know each part.
 */
@FunctionalInterface
public interface AdminApi {

  /** Adds its routes; called once, on the admin verticle's event loop, before it listens. */
  void mount(Router router);
}
