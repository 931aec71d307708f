package io.roundhouse.runtime;

import io.micrometer.core.instrument.Meter;
import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.DrainNotice;
import io.roundhouse.stats.ConnectionCounter;
import io.roundhouse.stats.DatagramStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every backend service does around its listeners: deploy them, then (only once they are
 * bound) register in the cluster and publish counts; on stop, deregister first so balancers send
 * nothing new, then close the listeners.
 */
public final class BackendRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(BackendRuntime.class);

  /** How often a draining backend looks whether its connections are gone. */
  private static final long DRAIN_POLL_MS = 100;

  /** The share of its grace period a backend spends draining before it closes its listeners. */
  public static final double DRAIN_SHARE = 0.75;

  private final ClusterNode node;
  private final ScaledDeployment.Deployed deployed;
  private final Announcement announcement;
  private final List<Meter> meters;
  private final ConnectionCounter counter;

  private BackendRuntime(
      ClusterNode node,
      ScaledDeployment.Deployed deployed,
      Announcement announcement,
      List<Meter> meters,
      ConnectionCounter counter) {
    this.node = node;
    this.deployed = deployed;
    this.announcement = announcement;
    this.meters = meters;
    this.counter = counter;
  }

  /**
   * @param service the registered service name
   * @param protocol the protocol its connections speak, for the connection metrics
   * @param host the bind address, for the log
   * @param advertisedHost the address registered for balancers
   * @param port the configured port, 0 for any
   * @param instances listener verticles sharing the port
   */
  public record Spec(
      String service,
      String protocol,
      String host,
      String advertisedHost,
      int port,
      int instances) {}

  public static Future<BackendRuntime> start(
      ClusterNode node,
      Spec spec,
      ConnectionCounter counter,
      IntFunction<? extends Listener> listeners) {
    return start(node, spec, counter, () -> null, listeners);
  }

  /**
   * As {@link #start(ClusterNode, Spec, ConnectionCounter, IntFunction)}, publishing {@code udp}'s
   * counts beside the connections.
   */
  public static Future<BackendRuntime> start(
      ClusterNode node,
      Spec spec,
      ConnectionCounter counter,
      Supplier<DatagramStats> udp,
      IntFunction<? extends Listener> listeners) {
    return ScaledDeployment.deploy(node.vertx(), spec.port(), spec.instances(), listeners)
        .compose(
            deployed -> {
              List<Meter> meters = node.metrics().connections(spec.protocol(), counter);
              LOG.info(
                  "{}-service {} listening on {}:{} ({} event loops)",
                  spec.service(),
                  node.nodeId(),
                  spec.host(),
                  deployed.port(),
                  spec.instances());
              return Announcement.announce(
                      node, spec.service(), spec.advertisedHost(), deployed.port(), counter, udp)
                  .recover(
                      e -> {
                        node.metrics().remove(meters);
                        return deployed
                            .undeploy(node.vertx())
                            .transform(ar -> Future.<Announcement>failedFuture(e));
                      })
                  .map(a -> new BackendRuntime(node, deployed, a, meters, counter));
            });
  }

  public int port() {
    return deployed.port();
  }

  /**
   * How long a backend with {@code grace} drains ({@link #DRAIN_SHARE} of it): the rest is for its
   * listeners' own shutdown ({@link #listenerGrace}), so the whole stop stays within the grace.
   */
  public static Duration drainPeriod(Duration grace) {
    return Duration.ofMillis((long) (grace.toMillis() * DRAIN_SHARE));
  }

  /**
   * What is left of {@code grace} after the drain: how long the listeners, once closed, give the
   * connections still open (clients that did not come through a balancer) before closing them.
   */
  public static Duration listenerGrace(Duration grace) {
    return grace.minus(drainPeriod(grace));
  }

  /** Deregisters first so no new connections arrive, then closes the listeners. */
  public Future<Void> stop() {
    return stop(Duration.ZERO);
  }

  /**
   * Drains, then stops as {@link #stop()}: tells the balancers it is draining until {@code
   * drainPeriod} from now (they send it nothing new and close its connections spread over that
   * period: {@link DrainNotice}), and waits until its connections are gone or the period is over.
   */
  public Future<Void> stop(Duration drainPeriod) {
    return drained(drainPeriod)
        .eventually(announcement::withdraw)
        .eventually(() -> deployed.undeploy(node.vertx()))
        .onComplete(ar -> node.metrics().remove(meters));
  }

  private Future<Void> drained(Duration period) {
    if (period.isZero() || counter.active() == 0) {
      return Future.succeededFuture();
    }
    long until = System.currentTimeMillis() + period.toMillis();
    LOG.info(
        "{} draining {} connections over {} ms",
        node.nodeId(),
        counter.active(),
        period.toMillis());
    node.vertx()
        .eventBus()
        .publish(DrainNotice.ADDRESS, new DrainNotice(node.nodeId(), until, true).toJson());
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + period.toNanos();
    node.vertx()
        .setPeriodic(
            DRAIN_POLL_MS,
            timer -> {
              if (counter.active() == 0 || System.nanoTime() - deadline >= 0) {
                node.vertx().cancelTimer(timer);
                LOG.info("{} drained: {} connections left", node.nodeId(), counter.active());
                done.tryComplete();
              }
            });
    return done.future();
  }
}
