package io.roundhouse.cluster;

/** How a node finds the other members of its Hazelcast cluster. */
public enum JoinMode {
  /** TCP-IP to 127.0.0.1 over a port range: every process on one machine. */
  LOCAL,
  /** TCP-IP to an explicit member list, for docker compose and fixed hosts. */
  STATIC,
  /** DNS lookup of a Kubernetes headless service. */
  KUBERNETES
}
