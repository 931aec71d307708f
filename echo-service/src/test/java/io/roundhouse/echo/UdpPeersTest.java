package io.roundhouse.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The peer table on a clock the test turns: idle expiry and the size bound. */
class UdpPeersTest {

  private static final long IDLE = Duration.ofSeconds(60).toNanos();

  private final UdpCounters counters = new UdpCounters();

  private static UdpPeers.Peer peer(int port) {
    return new UdpPeers.Peer("127.0.0.1", port);
  }

  @Test
  void shouldCountEachPeerOnceWhenItSendsAgain() {
    UdpPeers peers = new UdpPeers(10, IDLE, counters);

    peers.seen(peer(1000), 0);
    peers.seen(peer(1000), 5);
    peers.seen(peer(1001), 6);

    assertThat(peers.size()).isEqualTo(2);
    assertThat(counters.peersActive()).isEqualTo(2);
    assertThat(counters.peersSeen()).isEqualTo(2);
  }

  @Test
  void shouldExpireOnlySilentPeersWhenIdleTimePasses() {
    UdpPeers peers = new UdpPeers(10, IDLE, counters);
    peers.seen(peer(1000), 0);
    peers.seen(peer(1001), 0);
    peers.seen(peer(1000), IDLE / 2); // 1000 spoke again: 1001 is now the oldest

    peers.expire(IDLE - 1);
    assertThat(peers.size()).as("nobody idle yet").isEqualTo(2);

    peers.expire(IDLE);
    assertThat(peers.size()).isEqualTo(1);
    assertThat(counters.peersActive()).isEqualTo(1);

    peers.expire(IDLE / 2 + IDLE);
    assertThat(peers.size()).isZero();
    assertThat(counters.peersActive()).isZero();
    assertThat(counters.peersSeen()).isEqualTo(2);
    assertThat(counters.peersEvicted()).isZero();
  }

  @Test
  void shouldEvictLongestSilentPeerWhenTableIsFull() {
    UdpPeers peers = new UdpPeers(3, IDLE, counters);
    peers.seen(peer(1000), 0);
    peers.seen(peer(1001), 1);
    peers.seen(peer(1002), 2);
    peers.seen(peer(1000), 3); // 1001 is now the longest silent

    for (int port = 2000; port < 3000; port++) { // a flood of source ports
      peers.seen(peer(port), 10 + port);
    }

    assertThat(peers.size()).isEqualTo(3);
    assertThat(counters.peersActive()).isEqualTo(3);
    assertThat(counters.peersSeen()).isEqualTo(1003);
    assertThat(counters.peersEvicted()).isEqualTo(1000);
  }

  @Test
  void shouldUncountEveryPeerWhenCleared() {
    UdpPeers peers = new UdpPeers(3, IDLE, counters);
    peers.seen(peer(1000), 0);
    peers.seen(peer(1001), 0);

    peers.clear();

    assertThat(peers.size()).isZero();
    assertThat(counters.peersActive()).isZero();
  }
}
