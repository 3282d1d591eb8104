package org.sonatype.nexus.repository.nix.protocol.narinfo;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.NixPublicKey;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.repository.nix.protocol.NixVectors;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_SECRET_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.STORE_DIR;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

class NarInfoSignaturesTest
{
  private static final List<NixPublicKey> TRUSTED = Collections.singletonList(NixPublicKey.parse(EXAMPLE_PUBLIC_KEY));

  @Test
  void aNarinfoSignedByNixStoreSignHasAValidSignatureForTheTrustedKey() {
    NarInfo narInfo = NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN, STORE_DIR);

    assertThat(NarInfoSignatures.hasValidSignature(narInfo, TRUSTED)).isTrue();
  }

  @Test
  void aNarinfoSignedOnlyByAnUntrustedKeyHasNoValidSignature() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    assertThat(NarInfoSignatures.hasValidSignature(narInfo, TRUSTED)).isFalse();
    assertThat(NarInfoSignatures.hasValidSignature(narInfo, Collections.<NixPublicKey>emptyList())).isFalse();
  }

  @Test
  void tamperedNarSizeFailsVerification() {
    NarInfo narInfo = NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN.replace("NarSize: 224", "NarSize: 225"),
        STORE_DIR);

    assertThat(NarInfoSignatures.hasValidSignature(narInfo, TRUSTED)).isFalse();
  }

  @Test
  void tamperedNarHashFailsVerification() {
    NarInfo narInfo = NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN.replace(
        "NarHash: sha256:03mcfs0df1zjz9688bz7civbw9zlvp0f3hpidfsvn5p2h6mqlljn",
        "NarHash: sha256:0c2x838h69j67772wc217x6pvgwsmyq8w1gay4ndsxvadmydg6x2"), STORE_DIR);

    assertThat(NarInfoSignatures.hasValidSignature(narInfo, TRUSTED)).isFalse();
  }

  @Test
  void aDroppedReferenceFailsVerification() {
    NarInfo narInfo = NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN.replace(
        " bgcwswhizdnd4vy4nka65illanb4k7if-small.txt", ""), STORE_DIR);

    assertThat(NarInfoSignatures.hasValidSignature(narInfo, TRUSTED)).isFalse();
  }

  @Test
  void aNarinfoUnderAnotherStoreDirectoryFailsVerification() {
    NarInfo narInfo = NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN.replace("/nix/store/", "/opt/store/"),
        "/opt/store");

    assertThat(NarInfoSignatures.hasValidSignature(narInfo, TRUSTED)).isFalse();
  }

  @Test
  void rewritingUnsignedFieldsKeepsTheSignatureValid() {
    NarInfo narInfo = NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN, STORE_DIR)
        .withUrl("nar/03mcfs0df1zjz9688bz7civbw9zlvp0f3hpidfsvn5p2h6mqlljn.nar")
        .withCompression(Compression.NONE)
        .toBuilder().deriver(java.util.Optional.<String>empty()).build();

    assertThat(NarInfoSignatures.hasValidSignature(narInfo, TRUSTED)).isTrue();
  }

  @Test
  void signedAddsTheKeysSignatureAfterExistingOnes() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    NarInfo signed = NarInfoSignatures.signed(narInfo, NixSecretKey.parse(EXAMPLE_SECRET_KEY));

    assertThat(signed.sigs()).hasSize(2);
    assertThat(signed.sigs().get(0)).isEqualTo(narInfo.sigs().get(0));
    assertThat(signed.sigs().get(1)).isEqualTo(
        NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN, STORE_DIR).sigs().get(0));
    assertThat(NarInfoSignatures.validSignatures(signed, Arrays.asList(
        NixPublicKey.parse(TEST_1_PUBLIC_KEY), NixPublicKey.parse(EXAMPLE_PUBLIC_KEY)))).isEqualTo(signed.sigs());
  }

  @Test
  void signedReplacesAnEarlierSignatureCarryingTheSameKeyName() {
    // a stale test-1 signature, e.g. made with a key that was rotated under the same name
    NarInfo stale = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR)
        .withSigs(Collections.singletonList(NarInfo.parse(NixVectors.RB_SIGNED_XZ, STORE_DIR).sigs().get(0)));

    NarInfo signed = NarInfoSignatures.signed(stale, NixSecretKey.parse(TEST_1_SECRET_KEY));

    assertThat(signed.toText()).isEqualTo(RC_SIGNED_XZ);
  }

  @Test
  void signingTwiceWithTheSameKeyChangesNothing() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    assertThat(NarInfoSignatures.signed(narInfo, NixSecretKey.parse(TEST_1_SECRET_KEY))).isEqualTo(narInfo);
  }

  @Test
  void aNarinfoWithANonSha256NarHashHasNoValidSignatureAndCannotBeSigned() {
    NarInfo narInfo = NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN, STORE_DIR).toBuilder()
        .narHash(NixHash.of(NixHashType.SHA512, new byte[64])).build();

    assertThat(NarInfoSignatures.hasValidSignature(narInfo, TRUSTED)).isFalse();
    assertThatThrownBy(() -> NarInfoSignatures.signed(narInfo, NixSecretKey.parse(EXAMPLE_SECRET_KEY)))
        .isInstanceOf(IllegalStateException.class);
  }
  @Test
  void withSignatureReturnsTheSameNarinfoWhenItAlreadyCarriesThatSignature() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    assertThat(NarInfoSignatures.withSignature(narInfo, narInfo.sigs().get(0))).isSameAs(narInfo);
  }

  @Test
  void withoutSignaturesByRemovesOnlyThatKeyNamesSignatures() {
    NarInfo both = NarInfoSignatures.signed(NarInfo.parse(RC_SIGNED_XZ, STORE_DIR),
        NixSecretKey.parse(EXAMPLE_SECRET_KEY));

    NarInfo withoutExample = NarInfoSignatures.withoutSignaturesBy(both, "cache.example.org-1");

    assertThat(withoutExample.toText()).isEqualTo(RC_SIGNED_XZ);
    assertThat(NarInfoSignatures.withoutSignaturesBy(withoutExample, "cache.example.org-1")).isSameAs(withoutExample);
  }

  @Test
  void aKeyNameThatIsAPrefixOfAnotherDoesNotRemoveTheOther() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    assertThat(NarInfoSignatures.withoutSignaturesBy(narInfo, "test")).isSameAs(narInfo);
  }

  @Test
  void checkingForAValidSignatureStopsAtTheFirstOne() {
    // the valid signature first, then 31 that carry the trusted key's name and verify against nothing
    NarInfo signed = NarInfo.parse(RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN, STORE_DIR);
    List<String> sigs = new ArrayList<>(signed.sigs());
    String keyName = signed.sigs().get(0).substring(0, signed.sigs().get(0).indexOf(':'));
    for (int i = 0; i < 31; i++) {
      byte[] bogus = new byte[64];
      bogus[0] = (byte) i;
      sigs.add(keyName + ":" + Base64.getEncoder().encodeToString(bogus));
    }
    NarInfo flooded = signed.withSigs(sigs);
    NarInfoSignatures.validSignatures(flooded, TRUSTED);
    NarInfoSignatures.hasValidSignature(flooded, TRUSTED);

    long all = cpuNanos(() -> NarInfoSignatures.validSignatures(flooded, TRUSTED));
    long first = cpuNanos(() -> assertThat(NarInfoSignatures.hasValidSignature(flooded, TRUSTED)).isTrue());

    // 1 verification against 32
    assertThat(first * 4).isLessThan(all);
  }

  /** CPU time of 50 runs: what a busy machine's other processes do not change. */
  private static long cpuNanos(final Runnable check) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < 50; i++) {
      check.run();
    }
    return threads.getCurrentThreadCpuTime() - start;
  }
}
