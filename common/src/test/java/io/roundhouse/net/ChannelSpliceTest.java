package io.roundhouse.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.roundhouse.testing.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelSplice} between a client and a backend that are plain JDK sockets, with the
 * balancer's two channels on one event loop of the native transport (as the TCP frontend runs
 * them). The test decides when the splice starts, so bytes and a FIN sent before it are tested
 * deterministically.
 */
class ChannelSpliceTest {

  private static final Duration BOUND = Duration.ofSeconds(20);

  private Vertx vertx;
  private VertxInternal internal;
  private EventLoop loop;
  private Channel listener;
  private ServerSocket backendListener;
  private final CompletableFuture<SpliceLeg> accepted = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    internal = (VertxInternal) vertx;
    loop = internal.nettyEventLoopGroup().next();
    listener =
        new ServerBootstrap()
            .group(loop, loop)
            .channelFactory(internal.transport().serverChannelFactory(false))
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    accepted.complete(ChannelSplice.hold(channel));
                  }
                })
            .bind(InetAddress.getLoopbackAddress(), 0)
            .sync()
            .channel();
    backendListener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws Exception {
    listener.close().sync();
    backendListener.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Socket client() throws IOException {
    Socket socket = new Socket();
    socket.connect(listener.localAddress(), 5_000);
    socket.setSoTimeout((int) BOUND.toMillis());
    return socket;
  }

  /** Dials the backend on the inbound's loop, splices, and returns the backend's socket. */
  private Socket splice(CompletableFuture<ChannelSplice> splice) throws Exception {
    SpliceLeg inbound = accepted.get(10, TimeUnit.SECONDS);
    new Bootstrap()
        .group(loop)
        .channelFactory(internal.transport().channelFactory(false))
        .option(ChannelOption.AUTO_READ, false)
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel channel) {
                ChannelSplice.hold(channel);
              }
            })
        .connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), backendListener.getLocalPort()))
        .addListener(
            f ->
                splice.complete(
                    ChannelSplice.start(
                        inbound,
                        ChannelSplice.leg(((io.netty.channel.ChannelFuture) f).channel()))));
    Socket backend = backendListener.accept();
    backend.setSoTimeout((int) BOUND.toMillis());
    return backend;
  }

  private static void awaitClosed(CompletableFuture<ChannelSplice> splice) throws Exception {
    splice
        .get(10, TimeUnit.SECONDS)
        .closed()
        .toCompletionStage()
        .toCompletableFuture()
        .get(BOUND.toSeconds(), TimeUnit.SECONDS);
  }

  private static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private static String readToEnd(Socket socket) throws IOException {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
  }

  @Test
  void shouldDeliverBytesAndAFinSentBeforeTheSpliceStartedWhenItStarts() throws Exception {
    CompletableFuture<ChannelSplice> splice = new CompletableFuture<>();
    try (Socket client = client()) {
      write(client, "early bytes");
      client.shutdownOutput();
      try (Socket backend = splice(splice)) {
        assertThat(readToEnd(backend)).isEqualTo("early bytes");
        write(backend, "the reply");
        backend.shutdownOutput();
        assertThat(readToEnd(client)).isEqualTo("the reply");
      }
    }
    awaitClosed(splice);
  }

  @Test
  void shouldHoldTheBackendWhileTheClientDoesNotReadAndDeliverEveryByteWhenItDoes()
      throws Exception {
    byte[] reply = new byte[32 * 1024 * 1024];
    new Random(5).nextBytes(reply);
    CompletableFuture<ChannelSplice> splice = new CompletableFuture<>();
    try (Socket client = client()) {
      client.setReceiveBufferSize(64 * 1024);
      try (Socket backend = splice(splice)) {
        SpliceLeg inbound = accepted.get();
        CompletableFuture<Void> writer =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    backend.getOutputStream().write(reply);
                    backend.shutdownOutput();
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
        // The client reads nothing: the balancer's side to it fills and stops being writable,
        // and the backend's writer blocks, with what the balancer buffers bounded.
        Eventually.until(
            BOUND, "the client side stops being writable", () -> !inbound.channel().isWritable());
        long pending = inbound.channel().unsafe().outboundBuffer().totalPendingWriteBytes();
        assertThat(pending).as("bytes the balancer holds for the client").isLessThan(4 << 20);
        assertThat(writer).isNotDone();

        InputStream in = client.getInputStream();
        byte[] received = in.readNBytes(reply.length);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(Arrays.equals(received, reply)).as("every byte, in order").isTrue();
        writer.get(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldResetTheClientWhenTheBackendResets() throws Exception {
    CompletableFuture<ChannelSplice> splice = new CompletableFuture<>();
    try (Socket client = client()) {
      write(client, "hello");
      Socket backend = splice(splice);
      assertThat(new String(backend.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
          .isEqualTo("hello");
      backend.setSoLinger(true, 0);
      backend.close();

      assertThatThrownBy(() -> client.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    awaitClosed(splice);
  }

  @Test
  void shouldResetTheBackendWhenTheClientResets() throws Exception {
    CompletableFuture<ChannelSplice> splice = new CompletableFuture<>();
    Socket client = client();
    write(client, "hello");
    try (Socket backend = splice(splice)) {
      assertThat(new String(backend.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
          .isEqualTo("hello");
      client.setSoLinger(true, 0);
      client.close();

      assertThatThrownBy(() -> backend.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void shouldCloseTheClientWithAFinAfterEveryByteWhenTheBackendClosesMidStream() throws Exception {
    byte[] reply = new byte[4 * 1024 * 1024 + 3];
    new Random(9).nextBytes(reply);
    CompletableFuture<ChannelSplice> splice = new CompletableFuture<>();
    try (Socket client = client()) {
      try (Socket backend = splice(splice)) {
        backend.getOutputStream().write(reply);
      }
      InputStream in = client.getInputStream();
      assertThat(Arrays.equals(in.readNBytes(reply.length), reply)).isTrue();
      assertThat(in.read()).as("a FIN after the last byte").isEqualTo(-1);
    }
    awaitClosed(splice);
  }

  @Test
  void shouldCountEachLegsBytesWhenTheyAreRelayedHeldBytesIncluded() throws Exception {
    CompletableFuture<ChannelSplice> splice = new CompletableFuture<>();
    try (Socket client = client()) {
      write(client, "held");
      SpliceLeg inbound = accepted.get(10, TimeUnit.SECONDS);
      try (Socket backend = splice(splice)) {
        write(client, " and more");
        assertThat(backend.getInputStream().readNBytes(13)).asString().isEqualTo("held and more");
        write(backend, "reply!");
        assertThat(client.getInputStream().readNBytes(6)).asString().isEqualTo("reply!");
        client.shutdownOutput();
        backend.shutdownOutput();
        awaitClosed(splice);
        assertThat(inbound.bytesRead()).isEqualTo(13);
        assertThat(inbound.lastReadNanos()).isPositive();
      }
    }
  }
}
