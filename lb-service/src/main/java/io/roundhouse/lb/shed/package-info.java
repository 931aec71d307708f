/**
 * Ending long-lived connections on purpose without a storm: {@link io.roundhouse.lb.shed.Drains}
 * closes a draining backend's (or this balancer's) connections spread over the drain period, and
 * {@link io.roundhouse.lb.shed.Rebalancer} moves connections off overloaded backends at a
 * cluster-wide rate ({@link io.roundhouse.lb.shed.MoveBudget}). Both end a connection only through
 * its {@link io.roundhouse.lb.conn.Shedder}: a WebSocket at a frame boundary, a TCP stream when
 * idle.
 */
package io.roundhouse.lb.shed;
