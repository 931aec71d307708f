package io.roundhouse.net;

import io.roundhouse.testing.Eventually;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * One Vert.x instance and one of its contexts, on which every socket of a test lives and every
 * relay and splice is driven, as on a service's event loop. The transport is the one the services
 * ask for: native (epoll) when it is available.
 */
final class Loopback implements AutoCloseable {

  /** A bound on every wait: far above what any step takes, it only stops a hung test. */
  static final long TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final Context context;

  /**
   * Every pair opened, so that its client stays reachable: Vert.x 5 shuts down a {@code NetClient}
   * that is garbage-collected with a 30 s grace, and {@code Vertx.close()} then waits out that
   * grace for a socket that nothing else closes (one whose both directions got FIN).
   */
  private final List<LoopbackPair> pairs = new CopyOnWriteArrayList<>();

  private final NetClient client;

  private Loopback(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createNetClient();
  }

  /** A client for connections that are not pairs, kept reachable for the same reason. */
  NetClient client() {
    return client;
  }

  /** {@code -Droundhouse.test.transport=nio} runs the same tests on the JDK transport. */
  static Loopback start() {
    boolean nio = "nio".equals(System.getProperty("roundhouse.test.transport"));
    return new Loopback(Vertx.vertx(new VertxOptions().setPreferNativeTransport(!nio)));
  }

  Vertx vertx() {
    return vertx;
  }

  /** A connection whose accepted end runs {@code onAccept} before it can read anything. */
  LoopbackPair pair(
      NetServerOptions serverOptions, NetClientOptions clientOptions, Handler<NetSocket> onAccept) {
    LoopbackPair pair =
        await(LoopbackPair.open(vertx, context, serverOptions, clientOptions, onAccept));
    pairs.add(pair);
    return pair;
  }

  LoopbackPair pair() {
    return pair(new NetServerOptions(), new NetClientOptions(), socket -> {});
  }

  /** Runs {@code action} on the sockets' event loop and awaits the future it returns. */
  <T> T onFuture(Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            action.get().onComplete(done);
          } catch (RuntimeException | Error e) {
            done.fail(e);
          }
        });
    return await(done.future());
  }

  /** Runs {@code action} on the sockets' event loop and returns its result. */
  <T> T on(Supplier<T> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            done.complete(action.get());
          } catch (RuntimeException | Error e) {
            done.fail(e);
          }
        });
    return await(done.future());
  }

  void run(Runnable action) {
    on(
        () -> {
          action.run();
          return null;
        });
  }

  /** The future's result; a failure, or no result within the bound, fails here, at the caller. */
  static <T> T await(Future<T> future) {
    try {
      return future.timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).await();
    } catch (Exception e) {
      // await() throws a timeout, a checked exception, unchecked.
      throw new AssertionError("awaited future failed: " + e, e);
    }
  }

  /** Polls {@code condition} until it holds, within the same bound as every other wait. */
  static void until(String what, BooleanSupplier condition, Supplier<?> state) {
    Eventually.until(Duration.ofSeconds(TIMEOUT_SECONDS), what, condition, state);
  }

  static void until(String what, BooleanSupplier condition) {
    until(what, condition, () -> "");
  }

  /** {@code length} reproducible pseudo-random bytes. */
  static Buffer randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  static long crc(Buffer buffer) {
    CRC32 crc = new CRC32();
    crc.update(buffer.getBytes());
    return crc.getValue();
  }

  @Override
  public void close() {
    vertx.close().timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).await();
  }
}
