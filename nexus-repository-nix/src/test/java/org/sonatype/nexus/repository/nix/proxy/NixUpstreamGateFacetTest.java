package org.sonatype.nexus.repository.nix.proxy;

import java.util.Optional;

import org.sonatype.nexus.common.sequence.FibonacciNumberSequence;
import org.sonatype.nexus.repository.httpclient.RemoteConnectionStatus;

import org.joda.time.DateTime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType.AUTO_BLOCKED_UNAVAILABLE;
import static org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType.AVAILABLE;
import static org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType.READY;
import static org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType.UNAVAILABLE;

class NixUpstreamGateFacetTest
{
  private static final DateTime NOW = new DateTime(2025, 6, 1, 12, 0);

  private final FibonacciNumberSequence times = new FibonacciNumberSequence(NixUpstreamGateFacet.FIRST_AUTO_BLOCK_MILLIS);

  @Test
  void aFailureAutoBlocksFor40SecondsThenLongerAsFailuresGoOn() {
    RemoteConnectionStatus first = afterFailure(new RemoteConnectionStatus(READY), NOW).orElseThrow();
    assertThat(first.getType()).isEqualTo(AUTO_BLOCKED_UNAVAILABLE);
    assertThat(first.getReason()).isEqualTo("Bad Gateway");
    assertThat(first.getBlockedUntil()).isEqualTo(NOW.plusSeconds(40));

    DateTime later = NOW.plusSeconds(41);
    RemoteConnectionStatus second = afterFailure(first, later).orElseThrow();
    assertThat(second.getBlockedUntil()).isEqualTo(later.plusSeconds(40));
    DateTime evenLater = later.plusSeconds(41);
    assertThat(afterFailure(second, evenLater).orElseThrow().getBlockedUntil()).isEqualTo(evenLater.plusSeconds(80));
  }

  @Test
  void whileAutoBlockedNothingGoesOutAndTheAnswerSaysWhy() {
    RemoteConnectionStatus blocked = afterFailure(new RemoteConnectionStatus(AVAILABLE), NOW).orElseThrow()
        .setRequestUrl("http://127.0.0.1:1/flake-registry.json");

    assertThat(NixUpstreamGateFacet.autoBlockedNow(blocked, NOW.plusSeconds(39)))
        .contains("this proxy's remote is auto-blocked until " + NOW.plusSeconds(40) + " after Bad Gateway for "
            + "http://127.0.0.1:1/flake-registry.json");
    assertThat(NixUpstreamGateFacet.autoBlockedNow(blocked, NOW.plusSeconds(40))).isEmpty();
  }

  @Test
  void aClientIsToldToRetryWhenTheAutoBlockRunsOut() {
    RemoteConnectionStatus blocked = afterFailure(new RemoteConnectionStatus(AVAILABLE), NOW).orElseThrow();

    assertThat(NixUpstreamGateFacet.secondsUntilUnblocked(blocked, NOW)).hasValue(40);
    assertThat(NixUpstreamGateFacet.secondsUntilUnblocked(blocked, NOW.plusMillis(39_001))).hasValue(1);
    assertThat(NixUpstreamGateFacet.secondsUntilUnblocked(blocked, NOW.plusSeconds(40))).isEmpty();
    assertThat(NixUpstreamGateFacet.secondsUntilUnblocked(new RemoteConnectionStatus(AVAILABLE), NOW)).isEmpty();
  }

  @Test
  void failuresDuringAnAutoBlockDoNotExtendIt() {
    RemoteConnectionStatus blocked = afterFailure(new RemoteConnectionStatus(AVAILABLE), NOW).orElseThrow();

    assertThat(afterFailure(blocked, NOW.plusSeconds(1))).isEmpty();
  }

  @Test
  void aSuccessMakesTheRemoteAvailableUnlessAnAutoBlockBeganWhileItWasUnderWay() {
    RemoteConnectionStatus blocked = afterFailure(new RemoteConnectionStatus(AVAILABLE), NOW).orElseThrow();

    assertThat(NixUpstreamGateFacet.afterSuccess(blocked, NOW.plusSeconds(1))).isEmpty();
    assertThat(NixUpstreamGateFacet.afterSuccess(blocked, NOW.plusSeconds(40)).orElseThrow().getType())
        .isEqualTo(AVAILABLE);
    assertThat(NixUpstreamGateFacet.afterSuccess(new RemoteConnectionStatus(AVAILABLE), NOW)).isEmpty();
  }

  @Test
  void withoutAutoBlockingAFailureOnlyMarksTheRemoteUnavailable() {
    RemoteConnectionStatus unavailable = NixUpstreamGateFacet.afterFailure(new RemoteConnectionStatus(AVAILABLE),
        false, times, NOW, "java.net.ConnectException: Connection refused").orElseThrow();

    assertThat(unavailable.getType()).isEqualTo(UNAVAILABLE);
    assertThat(unavailable.getReason()).isEqualTo("java.net.ConnectException: Connection refused");
    assertThat(NixUpstreamGateFacet.autoBlockedNow(unavailable, NOW)).isEmpty();
  }

  private Optional<RemoteConnectionStatus> afterFailure(final RemoteConnectionStatus current, final DateTime now) {
    return NixUpstreamGateFacet.afterFailure(current, true, times, now, "Bad Gateway");
  }
}
