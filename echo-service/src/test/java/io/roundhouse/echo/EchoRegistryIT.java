package io.roundhouse.echo;

import static io.roundhouse.echo.EchoFixture.NODE_ID;
import static io.roundhouse.echo.EchoFixture.READ_TIMEOUT_MS;
import static io.roundhouse.echo.EchoStreams.readToEof;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.RecordingRegistryListener;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry entry another member sees: the bound port while running, gone once stopped. */
class EchoRegistryIT {

  @RegisterExtension static final EchoFixture echo = new EchoFixture();

  @Test
  void shouldRegisterTheBoundPortWhenStartedOnPortZero() throws IOException {
    RecordingRegistryListener watcher = echo.watchFromObserver();

    EchoService service = echo.start();

    Eventually.until(
        "the observer sees the echo instance",
        () -> watcher.live(NODE_ID).isPresent(),
        watcher::toString);
    ServiceInstance instance = watcher.live(NODE_ID).orElseThrow();
    assertThat(instance.port()).isEqualTo(service.port()).isPositive();
    assertThat(instance.service()).isEqualTo(ServiceInstance.ECHO);
    assertThat(instance.host()).isEqualTo("127.0.0.1");
    assertThat(instance.memberId()).isEqualTo(echo.echoNode().memberId());

    // The registered address serves.
    try (Socket socket = new Socket(instance.host(), instance.port())) {
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.getOutputStream().write("ping".getBytes());
      socket.shutdownOutput();
      assertThat(readToEof(socket, 4)).isEqualTo("ping".getBytes());
    }
  }

  @Test
  void shouldDeregisterAndStopListeningWhenStopped() {
    RecordingRegistryListener watcher = echo.watchFromObserver();
    EchoService service = echo.start();
    Eventually.until(
        "the observer sees the echo instance", () -> watcher.live(NODE_ID).isPresent());
    int port = service.port();

    service.stop().await();

    Eventually.until(
        "the observer sees the echo instance down",
        () -> watcher.downs(NODE_ID) == 1,
        watcher::toString);
    assertThat(echo.observer().hazelcast().getMap("roundhouse.registry").containsKey(NODE_ID))
        .isFalse();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }
}
