package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.nix.http.NixResponses;
import org.sonatype.nexus.repository.view.Response;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WhenUpstreamFailsTest
{
  @Test
  void errorIsTheDefaultAndLeavesFailuresAsTheyAre() {
    Response failure = NixResponses.upstreamFailure(502, "cannot serve x.narinfo: the upstream answered 500");

    assertThat(WhenUpstreamFails.of(null)).isEqualTo(WhenUpstreamFails.ERROR);
    assertThat(WhenUpstreamFails.ERROR.answer(failure)).isSameAs(failure);
  }

  @Test
  void notFoundTurnsAnUpstreamFailureIntoA404ThatSaysWhatHappened() {
    Response failure = NixResponses.upstreamFailure(504, "cannot serve x.narinfo: the upstream did not answer in time");

    Response answer = WhenUpstreamFails.of("notFound").answer(failure);

    assertThat(answer.getStatus().getCode()).isEqualTo(404);
    assertThat(answer.getStatus().getMessage()).isEqualTo("cannot serve x.narinfo: the upstream did not answer in "
        + "time; answering 404, as nix.whenUpstreamFails is notFound");
    assertThat(NixResponses.upstreamFailure(answer)).contains("cannot serve x.narinfo: the upstream did not answer "
        + "in time");
  }

  @Test
  void notFoundLeavesOtherAnswersAlone() {
    Response internal = NixResponses.failure(500, "a bug");
    Response miss = NixResponses.notFound("x.narinfo is in none of the group's members");

    assertThat(WhenUpstreamFails.NOT_FOUND.answer(internal)).isSameAs(internal);
    assertThat(WhenUpstreamFails.NOT_FOUND.answer(miss)).isSameAs(miss);
  }

  @Test
  void anUnknownValueIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> WhenUpstreamFails.of("404"))
        .hasMessage("nix.whenUpstreamFails must be 'error' or 'notFound', not '404'");
  }
}
