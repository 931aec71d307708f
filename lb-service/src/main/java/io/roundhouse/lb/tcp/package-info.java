/**
 * The L4 frontend: one verticle per event loop accepts TCP clients, holds their bytes while a
 * backend is dialled, and splices the two sockets.
 */
package io.roundhouse.lb.tcp;
