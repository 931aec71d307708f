/**
 * The admin port: the JSON API, health, metrics, the stats sampler and its SSE stream, and the
 * dashboard's files.
 */
package io.roundhouse.lb.admin;
