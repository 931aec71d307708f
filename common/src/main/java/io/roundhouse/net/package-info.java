/**
 * Socket mechanics shared by every service: one-way relays with backpressure, two-way splices with
 * half-close and flush before close, and the Netty-level socket options Vert.x does not expose.
 */
package io.roundhouse.net;
