/**
 * Joining the cluster: one Vert.x and one Hazelcast member per node, with multicast, auto-detection
 * and phone-home off and explicit interfaces and members.
 */
package io.roundhouse.cluster;
