/**
 * Settings changed at run time, cluster-wide, without closing a connection: {@link
 * io.roundhouse.lb.settings.LiveSettings} keeps the overrides in a Hazelcast map, so every
 * balancer, and one that starts later, runs with them; they apply to new connections only.
 */
package io.roundhouse.lb.settings;
