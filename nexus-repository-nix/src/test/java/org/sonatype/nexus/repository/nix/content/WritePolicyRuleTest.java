package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.config.WritePolicy;
import org.sonatype.nexus.repository.nix.http.NixRequestException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sonatype.nexus.repository.config.WritePolicy.ALLOW;
import static org.sonatype.nexus.repository.config.WritePolicy.ALLOW_ONCE;
import static org.sonatype.nexus.repository.config.WritePolicy.DENY;

class WritePolicyRuleTest
{
  private static WritePolicyRule rule(final WritePolicy policy) {
    return new WritePolicyRule("cache", policy);
  }

  @Test
  void denyRefusesEveryWriteWith405NamingTheRepositoryAndWhatWasRefused() {
    NixRequestException e = catchThrowableOfType(() -> rule(DENY).checkWritable("nar/x.nar was not stored"),
        NixRequestException.class);

    assertThat(e.status()).isEqualTo(405);
    assertThat(e.getMessage())
        .isEqualTo("Repository 'cache' is read-only (write policy DENY): nar/x.nar was not stored");
  }

  @Test
  void everyOtherPolicyLetsWritesThrough() {
    rule(ALLOW).checkWritable("x");
    rule(ALLOW_ONCE).checkWritable("x");
  }

  @Test
  void theSameContentAgainChangesNothingWhateverThePolicy() {
    for (WritePolicy policy : new WritePolicy[]{ALLOW, ALLOW_ONCE, DENY}) {
      assertThat(rule(policy).overwrite(true, refusing -> "never")).isEqualTo(WriteOutcome.UNCHANGED);
    }
  }

  @Test
  void otherContentReplacesUnderAllow() {
    assertThat(rule(ALLOW).overwrite(false, refusing -> "never")).isEqualTo(WriteOutcome.UPDATED);
  }

  @Test
  void otherContentIsA409UnlessAllowNamingThePolicyThatRefused() {
    NixRequestException e = catchThrowableOfType(
        () -> rule(ALLOW_ONCE).overwrite(false, refusing -> "x exists; write policy " + refusing),
        NixRequestException.class);

    assertThat(e.status()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("x exists; write policy ALLOW_ONCE");
  }

  @Test
  void replacingWithoutComparingFollowsThePolicyAlone() {
    rule(ALLOW).checkReplaceable(refusing -> "never");
    assertThatThrownBy(() -> rule(ALLOW_ONCE).checkReplaceable(refusing -> "refused"))
        .isInstanceOf(NixRequestException.class)
        .hasMessage("refused");
  }
}
