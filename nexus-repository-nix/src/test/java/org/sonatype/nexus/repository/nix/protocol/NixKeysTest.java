package org.sonatype.nexus.repository.nix.protocol;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfoSignatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_SECRET_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.STORE_DIR;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

/**
 * Keys in Nix's file formats and Ed25519 signatures, against keys made by {@code nix key generate-secret} and
 * signatures made by {@code nix copy ?secret-key=} and {@code nix store sign}.
 */
class NixKeysTest
{
  @Test
  void publicKeyOfAnImportedSecretKeyMatchesNixKeyConvertSecretToPublic() {
    assertThat(NixSecretKey.parse(TEST_1_SECRET_KEY).publicKey().toText()).isEqualTo(TEST_1_PUBLIC_KEY);
    assertThat(NixSecretKey.parse(EXAMPLE_SECRET_KEY).publicKey().toText()).isEqualTo(EXAMPLE_PUBLIC_KEY);
  }

  @Test
  void importedKeySignsByteIdenticallyToNixCopyWithSecretKey() {
    NixSecretKey key = NixSecretKey.parse(TEST_1_SECRET_KEY);

    for (String text : new String[]{NixVectors.RB_SIGNED_XZ, NixVectors.SMALL_SIGNED_XZ, NixVectors.RC_SIGNED_XZ}) {
      NarInfo narInfo = NarInfo.parse(text, STORE_DIR);
      assertThat(key.sign(narInfo.fingerprint())).isEqualTo(narInfo.sigs().get(0));
    }
  }

  @Test
  void importedKeySignsByteIdenticallyToNixStoreSign() {
    NixSecretKey key = NixSecretKey.parse(EXAMPLE_SECRET_KEY);

    for (String text : new String[]{NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN,
        NixVectors.SMALL_ZSTD_SIGNED_BY_NIX_STORE_SIGN}) {
      NarInfo narInfo = NarInfo.parse(text, STORE_DIR);
      assertThat(key.sign(narInfo.fingerprint())).isEqualTo(narInfo.sigs().get(0));
    }
  }

  @Test
  void signingAnUnsignedNarinfoGivesExactlyTheNarinfoNixWrote() {
    NarInfo unsigned = NarInfo.parse(NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN, STORE_DIR).withSigs(
        java.util.Collections.<String>emptyList());

    NarInfo signed = NarInfoSignatures.signed(unsigned, NixSecretKey.parse(EXAMPLE_SECRET_KEY));

    assertThat(signed.toText()).isEqualTo(NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN);
  }

  @Test
  void aSecretKeyFileWithItsFinalNewlineIsAccepted() {
    assertThat(NixSecretKey.parse(TEST_1_SECRET_KEY + "\n").toText()).isEqualTo(TEST_1_SECRET_KEY);
    assertThat(NixPublicKey.parse(TEST_1_PUBLIC_KEY + "\n").toText()).isEqualTo(TEST_1_PUBLIC_KEY);
  }

  @Test
  void aSecretKeyWhosePublicHalfDoesNotBelongToTheSeedIsRejected() {
    byte[] secret = Base64.getDecoder().decode(TEST_1_SECRET_KEY.substring("test-1:".length()));
    secret[40] ^= 1;
    String spliced = "test-1:" + Base64.getEncoder().encodeToString(secret);

    assertThatThrownBy(() -> NixSecretKey.parse(spliced))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("secret key 'test-1': the public half does not match the seed");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"test-1", ":WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=", "test-1:WWiYQCSysZmJpKy",
      "test 1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=",
      "test-1:BH7pOraiE7p+ozGGl3XXKWBY5sfIp5we0xy04DqIlvFZaJhAJLKxmYmkrL4Ba+YfMTfJJ1HIoAuHpmVBcBAR7w=="})
  void malformedPublicKeysAreRejected(final String text) {
    assertThatThrownBy(() -> NixPublicKey.parse(text))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("public key");
  }

  @Test
  void errorsAboutSecretKeysNeverEchoTheKeyMaterial() {
    String truncated = TEST_1_SECRET_KEY.substring(0, TEST_1_SECRET_KEY.length() - 4);

    assertThatThrownBy(() -> NixSecretKey.parse(truncated))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("test-1:<redacted>")
        .hasMessageNotContaining("BH7pOraiE7p");
  }

  @Test
  void aSecretKeyGivenAsAPublicKeyIsNotEchoedEither() {
    assertThatThrownBy(() -> NixPublicKey.parse(TEST_1_SECRET_KEY))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("test-1:<redacted>")
        .hasMessageNotContaining("BH7pOraiE7p");
  }

  @Test
  void toStringOfASecretKeyShowsOnlyTheNameAndPublicKey() {
    String shown = NixSecretKey.parse(TEST_1_SECRET_KEY).toString();

    assertThat(shown).contains("test-1").contains(TEST_1_PUBLIC_KEY).doesNotContain("BH7pOraiE7p");
  }

  @Test
  void aGeneratedKeyRoundTripsThroughTheNixFileFormatAndVerifiesItsOwnSignatures() {
    NixSecretKey key = NixSecretKey.generate("nexus.example.com-1");
    String fingerprint = NarInfo.parse(NixVectors.RC_SIGNED_XZ, STORE_DIR).fingerprint();

    NixSecretKey reloaded = NixSecretKey.parse(key.toText());

    assertThat(reloaded).isEqualTo(key);
    assertThat(reloaded.publicKey()).isEqualTo(key.publicKey());
    assertThat(key.sign(fingerprint)).startsWith("nexus.example.com-1:");
    assertThat(NixPublicKey.parse(key.publicKey().toText()).verify(fingerprint, reloaded.sign(fingerprint))).isTrue();
  }

  @Test
  void generatedKeysAreDifferentEachTime() {
    assertThat(NixSecretKey.generate("k-1").publicKey()).isNotEqualTo(NixSecretKey.generate("k-1").publicKey());
  }

  @Test
  void keyNamesMayNotContainColonsOrWhitespace() {
    assertThatThrownBy(() -> NixSecretKey.generate("a:b")).isInstanceOf(NixFormatException.class);
    assertThatThrownBy(() -> NixSecretKey.generate("a b")).isInstanceOf(NixFormatException.class);
    assertThatThrownBy(() -> NixSecretKey.generate("")).isInstanceOf(NixFormatException.class);
  }

  @Test
  void aPublicKeyVerifiesTheSignatureNixMadeWithItsSecretKey() {
    NarInfo narInfo = NarInfo.parse(NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN, STORE_DIR);

    assertThat(NixPublicKey.parse(EXAMPLE_PUBLIC_KEY).verify(narInfo.fingerprint(), narInfo.sigs().get(0))).isTrue();
  }

  @Test
  void aSignatureUnderAnotherKeyNameDoesNotVerify() {
    NarInfo narInfo = NarInfo.parse(NixVectors.RC_SIGNED_XZ, STORE_DIR);

    assertThat(NixPublicKey.parse(EXAMPLE_PUBLIC_KEY).verify(narInfo.fingerprint(), narInfo.sigs().get(0)))
        .isFalse();
  }

  @Test
  void aSignatureByAnotherKeyWithTheSameNameDoesNotVerify() {
    NarInfo narInfo = NarInfo.parse(NixVectors.RC_SIGNED_XZ, STORE_DIR);
    NixPublicKey impostor = NixPublicKey.parse("test-1:" + EXAMPLE_PUBLIC_KEY.split(":")[1]);

    assertThat(impostor.verify(narInfo.fingerprint(), narInfo.sigs().get(0))).isFalse();
  }

  @ParameterizedTest(name = "''{0}''")
  @NullAndEmptySource
  @ValueSource(strings = {"test-1", "test-1:", "test-1:!!!!", "test-1:AAAA",
      "test-1:////////////////////////////////////////////////////////////////////////////////////w==",
      "test-1:JTjGMBQEiebcIQ1K7LobgR8zVBf+zBy1EM/6hx6JvP5oHKK5iyfqpmJ7evnHRTOksSK8eBiL1pK2VItFSXw1AQ"})
  void garbageSignatureTextSimplyDoesNotVerify(final String signature) {
    NixPublicKey key = NixPublicKey.parse(TEST_1_PUBLIC_KEY);

    assertThat(key.verify(NarInfo.parse(NixVectors.RC_SIGNED_XZ, STORE_DIR).fingerprint(), signature)).isFalse();
  }
}
