/**
 * The L7 frontend: plain HTTP is reverse-proxied over pooled keep-alive connections; WebSocket
 * upgrades are tunnelled over TCP connections of their own and spliced zero-copy. Failures become
 * one status here, in GatewayErrors.
 */
package io.roundhouse.lb.http;
