package org.sonatype.nexus.repository.nix.signing;

import java.util.Arrays;

import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.STORE_DIR;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

class TrustedKeysTest
{
  @Test
  void noKeysIsNone() {
    assertThat(TrustedKeys.parse(null, "nix.x").isEmpty()).isTrue();
    assertThat(TrustedKeys.parse(Arrays.asList(), "nix.x")).isSameAs(TrustedKeys.NONE);
  }

  @Test
  void aNarinfoCountsAsSignedIfOneSignatureVerifiesAgainstOneKey() {
    TrustedKeys keys = TrustedKeys.parse(Arrays.asList(TEST_1_PUBLIC_KEY, EXAMPLE_PUBLIC_KEY), "nix.x");

    assertThat(keys.signed(NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN, STORE_DIR))).isTrue();
    assertThat(keys.signed(NarInfo.parse(RC_SIGNED_XZ, STORE_DIR))).isTrue();
  }

  @Test
  void aNarinfoSignedByAnotherKeyIsNotSigned() {
    TrustedKeys keys = TrustedKeys.parse(Arrays.asList(EXAMPLE_PUBLIC_KEY), "nix.x");

    assertThat(keys.signed(NarInfo.parse(RC_SIGNED_XZ, STORE_DIR))).isFalse();
  }

  @Test
  void aBadKeyIsNamedByFieldAndPosition() {
    assertThatThrownBy(() -> TrustedKeys.parse(Arrays.asList(TEST_1_PUBLIC_KEY, "ci-1:tooshort"),
        "nix.trustedUploadKeys"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("nix.trustedUploadKeys[1]: ");
  }

  @Test
  void aSecretKeyGivenAsAPublicKeyIsRefusedWithoutEchoingIt() {
    String material = TEST_1_SECRET_KEY.substring(TEST_1_SECRET_KEY.indexOf(':') + 1);

    assertThatThrownBy(() -> TrustedKeys.parse(Arrays.asList(TEST_1_SECRET_KEY), "nix.trustedUploadKeys"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("decodes to 64 bytes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(material));
  }

  @Test
  void namesListsTheKeyNames() {
    assertThat(TrustedKeys.parse(Arrays.asList(TEST_1_PUBLIC_KEY, EXAMPLE_PUBLIC_KEY), "nix.x").names())
        .isEqualTo("test-1, cache.example.org-1");
  }
}
