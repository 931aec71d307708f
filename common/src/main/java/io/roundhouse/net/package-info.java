/**
 * Socket mechanics shared by every service: two-way splices with backpressure, half-close, resets
 * and flush before close over Netty channels ({@code ChannelSplice}), one direction over a Vert.x
 * socket ({@code Relay}), and the Netty-level socket options Vert.x does not expose.
 */
package io.roundhouse.net;
