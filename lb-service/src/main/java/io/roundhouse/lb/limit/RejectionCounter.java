package io.roundhouse.lb.limit;

/** Where a turned-away connection or request is counted, by protocol and reason. */
@FunctionalInterface
public interface RejectionCounter {

  RejectionCounter NONE = (protocol, rejection) -> {};

  void rejected(String protocol, Rejection rejection);
}
