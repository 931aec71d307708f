package io.roundhouse.lb.conn;

/**
 * One of the balancer's listening ports, as the Sockets view shows it.
 *
 * @param frontend {@code tcp}, {@code http} or {@code udp}
 * @param transport {@code tcp} or {@code udp}
 * @param sockets how many listening sockets this process has on it (one per event loop, sharing the
 *     port through {@code SO_REUSEPORT}, for TCP; one for UDP)
 */
public record Listening(String frontend, String transport, String host, int port, int sockets) {}
