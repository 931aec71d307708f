/**
 * The cluster-wide service registry: backends write an entry once listening and delete it on stop;
 * balancers are pushed every change.
 */
package io.roundhouse.registry;
