package io.roundhouse.echo;

import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.runtime.ListenFailure;
import io.roundhouse.runtime.OpsRoutes;
import io.roundhouse.runtime.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The echo node's admin port: {@code /health/live}, {@code /health/ready} and {@code /metrics}. The
 * echo port itself speaks raw TCP, so probes and scrapes need a port of their own.
 */
final class EchoAdminVerticle extends VerticleBase {

  private final EchoConfig config;
  private final Readiness readiness;
  private final NodeMetrics metrics;
  private HttpServer server;

  EchoAdminVerticle(EchoConfig config, Readiness readiness, NodeMetrics metrics) {
    this.config = config;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = OpsRoutes.mount(Router.router(vertx), vertx, readiness::status, metrics);
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions().setHost(config.adminHost()).setPort(config.adminPort()))
            .requestHandler(router);
    return server
        .listen()
        .recover(
            e -> Future.failedFuture(ListenFailure.of(config.adminHost(), config.adminPort(), e)));
  }

  int actualPort() {
    return server.actualPort();
  }
}
