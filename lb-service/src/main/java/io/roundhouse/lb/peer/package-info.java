/**
 * The balancers of one cluster seeing each other: each publishes a {@link
 * io.roundhouse.lb.peer.BalancerReport} on the event bus every second and keeps the others' in
 * {@link io.roundhouse.lb.peer.BalancerPeers}, so any balancer's admin API and dashboard list every
 * balancer.
 */
package io.roundhouse.lb.peer;
