package io.roundhouse.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.registry.OwnEntry.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OwnEntryTest {

  private static final ServiceInstance NOW =
      new ServiceInstance("echo-2", ServiceInstance.ECHO, "127.0.0.1", 7002, "member-after-merge");

  @Test
  void shouldLeaveTheEntryAloneWhenItIsExactlyWhatTheBackendWouldWrite() {
    Verdict verdict = OwnEntry.judge(NOW.toJson().encode(), NOW);

    assertThat(verdict).isEqualTo(Verdict.CURRENT);
    assertThat(verdict.needsWrite()).isFalse();
  }

  @Test
  void shouldWriteAgainWhenTheEntryIsMissing() {
    Verdict verdict = OwnEntry.judge(null, NOW);

    assertThat(verdict).isEqualTo(Verdict.MISSING);
    assertThat(verdict.needsWrite()).isTrue();
  }

  @Test
  void shouldWriteAgainWhenTheEntryWasWrittenByTheMemberBeforeAMerge() {
    String beforeMerge = NOW.withMemberId("member-before-merge").toJson().encode();

    Verdict verdict = OwnEntry.judge(beforeMerge, NOW);

    assertThat(verdict).isEqualTo(Verdict.OTHER_MEMBER);
    assertThat(verdict.needsWrite()).isTrue();
  }

  @Test
  void shouldWriteAgainWhenTheSameMembersEntryNamesAnotherAddress() {
    String moved =
        new ServiceInstance("echo-2", ServiceInstance.ECHO, "127.0.0.1", 7999, NOW.memberId())
            .toJson()
            .encode();

    Verdict verdict = OwnEntry.judge(moved, NOW);

    assertThat(verdict).isEqualTo(Verdict.CHANGED);
    assertThat(verdict.needsWrite()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "{\"id\":\"echo-2\",\"service\":\"echo\"}", "[]"})
  void shouldWriteAgainWhenTheEntryCannotBeRead(String stored) {
    Verdict verdict = OwnEntry.judge(stored, NOW);

    assertThat(verdict).isEqualTo(Verdict.MALFORMED);
    assertThat(verdict.needsWrite()).isTrue();
  }
}
