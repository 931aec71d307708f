/**
 * The live connection list: every client socket the balancer holds (TCP splice, HTTP keep-alive
 * connection, WebSocket tunnel, UDP flow) with both legs' addresses, its event loop and its
 * traffic, for {@code /api/connections} and the dashboard's Sockets page; and what the kernel says
 * about the sockets around them ({@code /proc/net/tcp}, fds, ephemeral ports) for {@code
 * /api/sockets}. Put here what describes sockets; the frontends only register and forget.
 */
package io.roundhouse.lb.conn;
