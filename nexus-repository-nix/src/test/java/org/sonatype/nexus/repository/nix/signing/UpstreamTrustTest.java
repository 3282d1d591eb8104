package org.sonatype.nexus.repository.nix.signing;

import java.util.Arrays;

import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RB_NONE;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.STORE_DIR;
import static org.sonatype.nexus.repository.nix.protocol.narinfo.ContentAddressVectors.MADE_CONTENT_ADDRESSED_B;

class UpstreamTrustTest
{
  private static final UpstreamTrust EXAMPLE_REQUIRED =
      new UpstreamTrust(TrustedKeys.parse(Arrays.asList(EXAMPLE_PUBLIC_KEY), "nix.trustedUpstreamKeys"), true);

  private static NarInfo narInfo(final String text) {
    return NarInfo.parse(text, STORE_DIR);
  }

  @Test
  void aNarinfoSignedByATrustedKeyIsAdmitted() {
    assertThat(EXAMPLE_REQUIRED.refusal(narInfo(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN))).isEmpty();
  }

  @Test
  void anUnsignedContentAddressedPathIsAdmittedAsNixAdmitsIt() {
    assertThat(EXAMPLE_REQUIRED.refusal(narInfo(MADE_CONTENT_ADDRESSED_B))).isEmpty();
  }

  @Test
  void anUnsignedPathIsRefusedAsUnsigned() {
    assertThat(EXAMPLE_REQUIRED.refusal(narInfo(RB_NONE))).get().asString()
        .contains("2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0 is not signed")
        .contains("(cache.example.org-1)");
  }

  @Test
  void aPathSignedByAnUnknownKeyIsRefusedNamingThatKey() {
    assertThat(EXAMPLE_REQUIRED.refusal(narInfo(RC_SIGNED_XZ))).get().asString()
        .contains("signed only by keys this proxy does not trust (test-1)");
  }

  @Test
  void aNarinfoChangedAfterSigningIsRefusedAsNotVerifying() {
    NarInfo altered = narInfo(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN.replace("NarSize: 224", "NarSize: 225"));

    assertThat(EXAMPLE_REQUIRED.refusal(altered)).get().asString()
        .contains("carries a signature by cache.example.org-1 that does not verify");
  }

  @Test
  void aContentAddressedPathWithAnAlteredAddressNeedsASignatureAgain() {
    NarInfo altered = narInfo(MADE_CONTENT_ADDRESSED_B.replace("CA: fixed:r:sha256:1chk", "CA: fixed:r:sha256:0chk"));

    assertThat(EXAMPLE_REQUIRED.refusal(altered)).isPresent();
  }

  @Test
  void whenNoSignatureIsRequiredNothingIsRefused() {
    UpstreamTrust keysOnly =
        new UpstreamTrust(TrustedKeys.parse(Arrays.asList(EXAMPLE_PUBLIC_KEY), "nix.trustedUpstreamKeys"), false);

    assertThat(keysOnly.refusal(narInfo(RB_NONE))).isEmpty();
    assertThat(UpstreamTrust.NOT_REQUIRED.refusal(narInfo(RC_SIGNED_XZ))).isEmpty();
  }

  @Test
  void aVerdictIsRememberedPerNarinfoNotPerStorePath() {
    NarInfo good = narInfo(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN);
    NarInfo altered = narInfo(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN.replace("NarSize: 224", "NarSize: 225"));

    assertThat(EXAMPLE_REQUIRED.refusal(good)).isEmpty();
    assertThat(EXAMPLE_REQUIRED.refusal(altered)).isPresent();
    assertThat(EXAMPLE_REQUIRED.refusal(good)).isEmpty();
  }

  @Test
  void verdictsAreRememberedUnderADigestNotUnderTheNarinfosText() {
    StringBuilder references = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      references.append(String.format("%032d", i).replace('0', 'a')).append("-dep-").append(i).append(' ');
    }
    NarInfo large = narInfo(RB_NONE.replaceFirst("References: [^\n]*", "References: " + references.toString().trim()));

    assertThat(UpstreamTrust.verdictKey(large)).hasSize(64);
    assertThat(UpstreamTrust.verdictKey(large)).isNotEqualTo(UpstreamTrust.verdictKey(narInfo(RB_NONE)));
  }
}
