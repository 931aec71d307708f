/**
 * Backend health: active checks from this balancer ({@link
 * io.roundhouse.lb.health.HealthCheckVerticle}, TCP echo or HTTP {@code /health/ready}), the
 * per-backend state machine ({@link io.roundhouse.lb.health.HealthState}), passive outlier
 * detection on real traffic ({@link io.roundhouse.lb.health.OutlierDetector}) and slow start.
 * Health sees backends only as {@link io.roundhouse.lb.health.Monitored}, never the backend
 * bookkeeping, which depends on this package and not the other way round.
 */
package io.roundhouse.lb.health;
