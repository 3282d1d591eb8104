package org.sonatype.nexus.repository.nix.signing;

import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_SECRET_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.STORE_DIR;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

class RepositorySignerTest
{
  private static NarInfo narInfo(final String text) {
    return NarInfo.parse(text, STORE_DIR);
  }

  private static String sigOf(final String text) {
    return narInfo(text).sigs().get(0);
  }

  @Test
  void addsTheSignatureNixStoreSignMakesWithTheSameKey() {
    RepositorySigner signer = new RepositorySigner(NixSecretKey.parse(EXAMPLE_SECRET_KEY), 0);

    NarInfo signed = signer.sign(narInfo(RC_SIGNED_XZ));

    assertThat(signed.sigs()).containsExactly(sigOf(RC_SIGNED_XZ), sigOf(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN));
  }

  @Test
  void aFingerprintIsSignedOnceAndItsSignatureRemembered() {
    RepositorySigner signer = new RepositorySigner(NixSecretKey.parse(EXAMPLE_SECRET_KEY), 0);

    NarInfo first = signer.sign(narInfo(RC_SIGNED_XZ));
    // the same store path rendered with another URL and compression: same fingerprint
    NarInfo second = signer.sign(narInfo(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN).withSigs(java.util.List.of()));

    assertThat(signer.remembered()).isEqualTo(1);
    assertThat(second.sigs()).containsExactly(first.sigs().get(1));
  }

  @Test
  void aStaleSignatureUnderTheKeysNameIsReplaced() {
    // a narinfo carrying a test-1 signature made by another key of that name
    NarInfo stale = narInfo(RC_SIGNED_XZ).withSigs(java.util.List.of(
        "test-1:" + sigOf(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN).substring("cache.example.org-1:".length())));
    RepositorySigner signer = new RepositorySigner(NixSecretKey.parse(TEST_1_SECRET_KEY), 0);

    assertThat(signer.sign(stale).toText()).isEqualTo(RC_SIGNED_XZ);
  }

  @Test
  void aNarinfoNixCannotFingerprintIsServedAsItIs() {
    NarInfo sha512 = narInfo(RC_SIGNED_XZ).toBuilder().narHash(NixHash.of(NixHashType.SHA512, new byte[64])).build();
    RepositorySigner signer = new RepositorySigner(NixSecretKey.parse(EXAMPLE_SECRET_KEY), 0);

    assertThat(signer.sign(sha512)).isSameAs(sha512);
  }

  @Test
  void whatIsRememberedIsBounded() {
    RepositorySigner signer = new RepositorySigner(NixSecretKey.parse(EXAMPLE_SECRET_KEY), 0, 10);

    for (int size = 1; size <= 100; size++) {
      signer.sign(narInfo(RC_SIGNED_XZ).toBuilder().narSize(size).build());
    }

    assertThat(signer.remembered()).isLessThanOrEqualTo(10);
  }
}
