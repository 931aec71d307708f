package io.roundhouse.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

  private static ServiceInstance echo(String id, int port, String member) {
    return new ServiceInstance(id, ServiceInstance.ECHO, "127.0.0.1", port, member);
  }

  private static final ServiceInstance A = echo("echo-a", 7001, "m-a");
  private static final ServiceInstance B = echo("echo-b", 7002, "m-b");

  @Test
  void shouldBringUpUnknownAndChangedInstancesWhenTheirMembersAreLive() {
    ServiceInstance movedB = echo("echo-b", 7999, "m-b");

    Reconciliation pass =
        Reconciliation.of(Map.of("echo-b", B), List.of(A, movedB), Set.of("m-a", "m-b"), Set.of());

    assertThat(pass.ups()).containsExactly(A, movedB);
    assertThat(pass.downs()).isEmpty();
  }

  @Test
  void shouldReportNothingWhenTheSnapshotMatchesTheView() {
    Reconciliation pass =
        Reconciliation.of(
            Map.of("echo-a", A, "echo-b", B), List.of(A, B), Set.of("m-a", "m-b"), Set.of());

    assertThat(pass.ups()).isEmpty();
    assertThat(pass.downs()).isEmpty();
  }

  @Test
  void shouldSkipSnapshotEntriesWhenTheirMemberIsNotLive() {
    ServiceInstance ghost = echo("echo-ghost", 7003, "m-gone");

    Reconciliation pass = Reconciliation.of(Map.of(), List.of(A, ghost), Set.of("m-a"), Set.of());

    assertThat(pass.ups()).containsExactly(A);
  }

  @Test
  void shouldTakeDownAKnownInstanceWhenItsMemberLeft() {
    Reconciliation pass =
        Reconciliation.of(Map.of("echo-a", A, "echo-b", B), List.of(A, B), Set.of("m-a"), Set.of());

    assertThat(pass.downs()).containsExactly("echo-b");
    assertThat(pass.ups()).isEmpty();
  }

  @Test
  void shouldKeepAKnownInstanceWhenItIsMissingFromTheSnapshotButItsMemberIsLive() {
    // A snapshot taken while partitions move can miss entries; the member says the node is there.
    Reconciliation pass =
        Reconciliation.of(
            Map.of("echo-a", A, "echo-b", B), List.of(A), Set.of("m-a", "m-b"), Set.of());

    assertThat(pass.downs()).isEmpty();
  }

  @Test
  void shouldKeepTheViewOfAnIdWhenItWasPushedAfterTheSnapshotWasAskedFor() {
    ServiceInstance newB = echo("echo-b", 7002, "m-b-after-merge");

    // Pushed: echo-b under its new member; the older snapshot still has the previous entry.
    Reconciliation upPushed =
        Reconciliation.of(
            Map.of("echo-b", newB), List.of(B), Set.of("m-b", "m-b-after-merge"), Set.of("echo-b"));
    // Pushed: echo-a removed (deregistered); the older snapshot still has it, its member still up.
    Reconciliation downPushed =
        Reconciliation.of(Map.of(), List.of(A), Set.of("m-a"), Set.of("echo-a"));

    assertThat(upPushed.ups()).isEmpty();
    assertThat(upPushed.downs()).isEmpty();
    assertThat(downPushed.ups()).isEmpty();
  }

  @Test
  void shouldReplaceAnInstanceWhenItsNodeCameBackUnderANewMember() {
    ServiceInstance newB = echo("echo-b", 7002, "m-b-after-merge");

    Reconciliation pass =
        Reconciliation.of(Map.of("echo-b", B), List.of(newB), Set.of("m-b-after-merge"), Set.of());

    assertThat(pass.ups()).containsExactly(newB);
    assertThat(pass.downs()).as("replaced, not taken down").isEmpty();
  }
}
