/**
 * Balancing strategies: live candidates in, one choice out. Strategies see only Candidate, never
 * the backend bookkeeping.
 */
package io.roundhouse.lb.balance;
