package org.sonatype.nexus.repository.nix.rest;

import java.util.List;

import org.sonatype.nexus.rest.ValidationErrorsException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

class PublicKeyListsTest
{
  @Test
  void wellFormedKeysPass() {
    assertThat(PublicKeyLists.checked(List.of(EXAMPLE_PUBLIC_KEY), "nix.trustedUploadKeys"))
        .containsExactly(EXAMPLE_PUBLIC_KEY);
  }

  @Test
  void aSecretKeyAmongThemIsA400NamingTheFieldWithoutShowingTheKey() {
    assertThatThrownBy(() -> PublicKeyLists.checked(List.of(EXAMPLE_PUBLIC_KEY, TEST_1_SECRET_KEY),
        "nix.trustedUpstreamKeys"))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.trustedUpstreamKeys[1]: ")
        .hasMessageNotContaining("BH7pOraiE7p");
  }

  @Test
  void theHostedBlockChecksItsKeysWhenWrittenIntoTheConfiguration() {
    NixHostedAttributes hosted = new NixHostedAttributes(null, null, null, null, null, List.of("ci-1:short"));

    assertThatThrownBy(() -> hosted.applyTo(new org.sonatype.nexus.common.collect.NestedAttributesMap("nix",
        new java.util.LinkedHashMap<>())))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.trustedUploadKeys[0]: ");
  }
}
