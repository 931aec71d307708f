package io.roundhouse.lb.admin;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may change things through the admin API (drain a backend, change a setting): a client on
 * loopback, or one that sends {@code Authorization: Bearer <LB_ADMIN_TOKEN>} when a token is set.
 * Anyone else gets a 403. Reads stay open to whoever reaches the admin port.
 */
public final class AdminWrites implements Handler<RoutingContext> {

  private final byte[] token;

  /**
   * @param token {@code LB_ADMIN_TOKEN}; empty for loopback clients only
   */
  public AdminWrites(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (fromLoopback(ctx.request().remoteAddress()) || hasToken(ctx)) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(403)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("error", "changes need a loopback client or the LB_ADMIN_TOKEN bearer token")
                .encode());
  }

  private boolean hasToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (token.length == 0 || header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] sent = header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, sent);
  }

  private static boolean fromLoopback(SocketAddress remote) {
    if (remote == null || remote.hostAddress() == null) {
      return false;
    }
    try {
      return InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
