package io.roundhouse.lb.conn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class KernelSocketTest {

  @Test
  void shouldReadAnIpv4SocketWhenTheLineIsFromProcNetTcp() {
    KernelSocket s =
        KernelSocket.parse(
                "   1: 0100007F:83BB 0200007F:1F90 06 00000000:00000000 03:00000200 00000000"
                    + "     0        0 0 3 00000000cb26e649")
            .orElseThrow();
    assertThat(s.local()).isEqualTo(new InetSocketAddress("127.0.0.1", 0x83BB));
    assertThat(s.remote()).isEqualTo(new InetSocketAddress("127.0.0.2", 8080));
    assertThat(s.state()).isEqualTo("TIME_WAIT");
  }

  @Test
  void shouldReadIpv6AndMappedAddressesWhenTheLineIsFromProcNetTcp6() {
    KernelSocket loopback =
        KernelSocket.parse(
                "   0: 00000000000000000000000001000000:2328 00000000000000000000000000000000:0000"
                    + " 0A 00000000:00000000 00:00000000 00000000     0        0 1 1")
            .orElseThrow();
    assertThat(loopback.local().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(loopback.local().getPort()).isEqualTo(9000);
    assertThat(loopback.state()).isEqualTo("LISTEN");

    KernelSocket mapped =
        KernelSocket.parse(
                "   1: 0000000000000000FFFF00000100007F:2328 0000000000000000FFFF00000100007F:9C40"
                    + " 01 00000000:00000000 00:00000000 00000000     0        0 2 1")
            .orElseThrow();
    assertThat(mapped.local().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(mapped.remote().getPort()).isEqualTo(40000);
    assertThat(mapped.state()).isEqualTo("ESTABLISHED");
  }

  @Test
  void shouldSkipAHeaderOrAGarbledLineWhenParsing() {
    assertThat(KernelSocket.parse("  sl  local_address rem_address   st tx_queue")).isEmpty();
    assertThat(KernelSocket.parse("   2: 0100007F 0100007F:0000 0A")).isEmpty();
    assertThat(KernelSocket.parse("   3: 01007F:0050 0100007F:0000 0A")).isEmpty();
    assertThat(KernelSocket.parse("")).isEmpty();
  }
}
