/**
 * The L7 frontend: plain HTTP is reverse-proxied over pooled keep-alive connections; WebSocket
 * upgrades are tunnelled over TCP connections of their own and spliced zero-copy. Before either,
 * the edge (EdgePipeline, RequestGuard, EdgeRules) refuses what could be framed two ways and bounds
 * how long a client may take. A backend's failures become one status in GatewayErrors, a refusal of
 * the client's request one Rejection.
 */
package io.roundhouse.lb.http;
