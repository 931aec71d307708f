/**
 * The L4 frontend: one listening socket per event loop ({@code SO_REUSEPORT}) accepts TCP clients
 * as plain Netty channels, dials a backend on the same loop, and splices the two channels.
 */
package io.roundhouse.lb.tcp;
