package io.roundhouse.lb;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.conn.Listening;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.runtime.Readiness;
import io.roundhouse.runtime.ScaledDeployment.Deployed;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What is running so far, passed down the start chain; each step adds one piece. */
record LbParts(
    ClusterNode node,
    LbConfig config,
    BackendDirectory directory,
    Readiness readiness,
    MessageConsumer<JsonObject> statsConsumer,
    ServiceRegistry.Watch watch,
    String checks,
    Deployed tcp,
    Deployed http,
    Deployed udp) {

  LbParts with(ServiceRegistry.Watch w) {
    return new LbParts(
        node, config, directory, readiness, statsConsumer, w, checks, tcp, http, udp);
  }

  /** The health checker's deployment id, or null when checks are off. */
  LbParts withChecks(String id) {
    return new LbParts(
        node, config, directory, readiness, statsConsumer, watch, id, tcp, http, udp);
  }

  LbParts withTcp(Deployed d) {
    return new LbParts(
        node, config, directory, readiness, statsConsumer, watch, checks, d, http, udp);
  }

  LbParts withHttp(Deployed d) {
    return new LbParts(
        node, config, directory, readiness, statsConsumer, watch, checks, tcp, d, udp);
  }

  /** The public ports, as the Sockets view shows them. */
  List<Listening> listening(LbConfig config) {
    List<Listening> ports = new ArrayList<>();
    ports.add(new Listening("tcp", "tcp", config.host(), tcp.port(), config.instances()));
    ports.add(new Listening("http", "tcp", config.host(), http.port(), config.instances()));
    if (udp != null) {
      ports.add(new Listening("udp", "udp", config.host(), udp.port(), 1));
    }
    return ports;
  }

  /** The UDP frontend, or null when it is off. */
  LbParts withUdp(Deployed d) {
    return new LbParts(
        node, config, directory, readiness, statsConsumer, watch, checks, tcp, http, d);
  }
}
