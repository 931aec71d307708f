/**
 * What the balancer lets in and how long it makes anyone wait: connection caps per frontend, per
 * backend and per client address, a bounded FIFO queue per service for when every backend is at its
 * cap, and a request rate per client. A new limit goes here, with its rejection reason in {@link
 * io.roundhouse.lb.limit.Rejection}.
 */
package io.roundhouse.lb.limit;
