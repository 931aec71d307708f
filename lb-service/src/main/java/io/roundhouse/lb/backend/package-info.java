/**
 * What the balancer knows of its backends: the live directory fed by the registry, per-backend
 * counts and health, the connector that chooses, dials and retries, and the lease that holds a
 * backend's count.
 */
package io.roundhouse.lb.backend;
