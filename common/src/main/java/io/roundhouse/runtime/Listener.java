package io.roundhouse.runtime;

import io.vertx.core.Deployable;

/** A verticle that owns one listening socket and knows the port it bound. */
public interface Listener extends Deployable {

  /** The port actually bound; valid once the deployment has succeeded. */
  int actualPort();
}
