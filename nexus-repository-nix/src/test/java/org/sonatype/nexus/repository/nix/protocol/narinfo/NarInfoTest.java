package org.sonatype.nexus.repository.nix.protocol.narinfo;

import java.util.Arrays;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.NixVectors;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RB_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.STORE_DIR;

/**
 * Writing narinfos back out, fingerprints, and copies.
 */
class NarInfoTest
{
  private static final String SIG_A =
      "test-1:JTjGMBQEiebcIQ1K7LobgR8zVBf+zBy1EM/6hx6JvP5oHKK5iyfqpmJ7evnHRTOksSK8eBiL1pK2VItFSXw1AQ==";

  private static final String SIG_B = "cache.example.org-1:"
      + "aDLegibcEUEYGHL9JspOY2tMvtYq+qTmXfhq/rOSiK9UKw66EKIHFPy/WcAeC0FDcUgl6hvy/llMOO9s0wzMAA==";

  @ParameterizedTest(name = "{index}")
  @ValueSource(strings = {
      NixVectors.RB_SIGNED_XZ,
      NixVectors.SMALL_SIGNED_XZ,
      NixVectors.RC_SIGNED_XZ,
      NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN,
      NixVectors.SMALL_ZSTD_SIGNED_BY_NIX_STORE_SIGN,
      NixVectors.RB_NONE,
      NixVectors.RD_RESEARCH
  })
  void toTextReproducesWhatNixWroteByteForByte(final String text) {
    assertThat(NarInfo.parse(text, STORE_DIR).toText()).isEqualTo(text);
  }

  @Test
  void parsingTheTextOfANarinfoGivesAnEqualNarinfo() {
    NarInfo narInfo = NarInfo.parse("System: x86_64-linux\n" + RC_SIGNED_XZ.replace("\n", "\r\n"), STORE_DIR);

    NarInfo reparsed = NarInfo.parse(narInfo.toText(), STORE_DIR);

    assertThat(reparsed).isEqualTo(narInfo).hasSameHashCodeAs(narInfo);
  }

  @Test
  void emptyReferencesAreWrittenWithATrailingSpace() {
    assertThat(NarInfo.parse(NixVectors.SMALL_SIGNED_XZ, STORE_DIR).toText()).contains("\nReferences: \n");
  }

  @Test
  void optionalFieldsAreLeftOutWhenAbsent() {
    NarInfo narInfo = NarInfo.builder(STORE_DIR)
        .storePath(StorePath.fromBaseName("bgcwswhizdnd4vy4nka65illanb4k7if-small.txt"))
        .url("nar/1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v.nar")
        .compression(Compression.NONE)
        .narHash(NixHash.parse("sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v"))
        .narSize(144)
        .build();

    assertThat(narInfo.toText()).isEqualTo(""
        + "StorePath: /nix/store/bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n"
        + "URL: nar/1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v.nar\n"
        + "Compression: none\n"
        + "NarHash: sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v\n"
        + "NarSize: 144\n"
        + "References: \n");
  }

  @Test
  void aBuilderWithoutACompressionMeansBzip2LikeAMissingField() {
    NarInfo narInfo = NarInfo.parse(RB_SIGNED_XZ, STORE_DIR).toBuilder().build();
    NarInfo fresh = NarInfo.builder(STORE_DIR)
        .storePath(narInfo.storePath())
        .url(narInfo.url())
        .narHash(narInfo.narHash())
        .narSize(narInfo.narSize())
        .build();

    assertThat(fresh.compression()).isEqualTo(Compression.BZIP2);
  }

  @Test
  void theBuilderAppliesTheSameRulesAsTheParser() {
    NarInfo.Builder builder = NarInfo.parse(RB_SIGNED_XZ, STORE_DIR).toBuilder();

    assertThatThrownBy(() -> builder.narSize(0).build())
        .isInstanceOf(NixFormatException.class).hasMessage("NarSize: must be greater than 0");
    assertThatThrownBy(() -> builder.narSize(1).url("nar/a b").build())
        .isInstanceOf(NixFormatException.class).hasMessageStartingWith("URL: ");
    assertThatThrownBy(() -> builder.url("nar/x").deriver("not-a-store-path.drv").build())
        .isInstanceOf(NixFormatException.class).hasMessageStartingWith("Deriver: ");
    assertThatThrownBy(() -> builder.deriver(Optional.empty()).addExtraField("Sig", "x").build())
        .isInstanceOf(NixFormatException.class).hasMessageContaining("standard field");
  }

  @Test
  void aMissingRequiredValueIsNamedByTheBuilder() {
    assertThatThrownBy(() -> NarInfo.builder(STORE_DIR).build())
        .isInstanceOf(NixFormatException.class)
        .hasMessage("missing required field 'StorePath'");
  }

  @Test
  void fingerprintIsWhatNixSigns() {
    // the reference document's real example
    assertThat(NarInfo.parse(NixVectors.RD_RESEARCH, STORE_DIR).fingerprint()).isEqualTo(NixVectors.RD_FINGERPRINT);
  }

  @Test
  void fingerprintSortsReferencesAsAbsolutePaths() {
    String text = RC_SIGNED_XZ.replace(
        "References: 2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0 bgcwswhizdnd4vy4nka65illanb4k7if-small.txt",
        "References: bgcwswhizdnd4vy4nka65illanb4k7if-small.txt 2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0");

    assertThat(NarInfo.parse(text, STORE_DIR).fingerprint()).isEqualTo(
        "1;/nix/store/vbkp9i123aq28c16h1y0s0v9m2zr6dyw-rc-1.0;"
            + "sha256:03mcfs0df1zjz9688bz7civbw9zlvp0f3hpidfsvn5p2h6mqlljn;224;"
            + "/nix/store/2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0,/nix/store/bgcwswhizdnd4vy4nka65illanb4k7if-small.txt");
  }

  @Test
  void fingerprintOfAPathWithoutReferencesEndsWithASemicolon() {
    assertThat(NarInfo.parse(NixVectors.SMALL_SIGNED_XZ, STORE_DIR).fingerprint()).isEqualTo(
        "1;/nix/store/bgcwswhizdnd4vy4nka65illanb4k7if-small.txt;"
            + "sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v;144;");
  }

  @Test
  void fingerprintUsesNix32WhateverEncodingTheNarinfoUsed() {
    String text = NixVectors.RD_RESEARCH.replace(
        "sha256:0pm5092rsngd3zwl1yjsn3xkvp69dkv4hipdkpbfp43j7wj1gfpm",
        NixHash.parse("sha256:0pm5092rsngd3zwl1yjsn3xkvp69dkv4hipdkpbfp43j7wj1gfpm").toSri());

    assertThat(NarInfo.parse(text, STORE_DIR).fingerprint()).isEqualTo(NixVectors.RD_FINGERPRINT);
  }

  @Test
  void fingerprintOfANonSha256NarHashIsImpossible() {
    NarInfo narInfo = NarInfo.parse(RB_SIGNED_XZ, STORE_DIR).toBuilder()
        .narHash(NixHash.of(NixHashType.SHA512, new byte[64]))
        .build();

    assertThatThrownBy(narInfo::fingerprint)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not sha256");
  }

  @Test
  void withFileChangesOnlyTheUnsignedFileFields() {
    NarInfo original = NarInfo.parse(RB_SIGNED_XZ, STORE_DIR);
    NixHash zstdFileHash = NixHash.parse("sha256:0cjfrscr6lgfr7vvynvrsmjwwd5hcr6d5wc6xsx7w8msm2zlr0fk");

    NarInfo rehomed = original.withFile(Compression.ZSTD,
        "nar/0cjfrscr6lgfr7vvynvrsmjwwd5hcr6d5wc6xsx7w8msm2zlr0fk.nar.zst", Optional.of(zstdFileHash),
        OptionalLong.of(3904));

    assertThat(rehomed.compression()).isEqualTo(Compression.ZSTD);
    assertThat(rehomed.url()).endsWith(".nar.zst");
    assertThat(rehomed.fileHash()).hasValue(zstdFileHash);
    assertThat(rehomed.fileSize()).isEqualTo(OptionalLong.of(3904));
    assertThat(rehomed.fingerprint()).isEqualTo(original.fingerprint());
    assertThat(rehomed.sigs()).isEqualTo(original.sigs());
    assertThat(rehomed.sameExceptSigs(original)).isFalse();
  }

  @Test
  void singleFieldCopiesLeaveTheOriginalUntouched() {
    NarInfo original = NarInfo.parse(RB_SIGNED_XZ, STORE_DIR);

    NarInfo copy = original.withUrl("nar/other.nar.xz").withCompression(Compression.NONE)
        .withFileHash(Optional.empty()).withFileSize(OptionalLong.empty());

    assertThat(copy.toText()).contains("URL: nar/other.nar.xz\nCompression: none\nNarHash: ");
    assertThat(original.toText()).isEqualTo(RB_SIGNED_XZ);
  }

  @Test
  void withAddedSigsAppendsNewSignaturesOnceKeepingOrder() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    NarInfo added = narInfo.withAddedSigs(Arrays.asList(SIG_B, SIG_A, SIG_B));

    assertThat(added.sigs()).containsExactly(SIG_A, SIG_B);
  }

  @Test
  void withSigsReplacesAllSignatures() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    assertThat(narInfo.withSigs(Collections.singletonList(SIG_B)).sigs()).containsExactly(SIG_B);
    assertThat(narInfo.withSigs(Collections.<String>emptyList()).toText()).doesNotContain("Sig:");
  }

  @Test
  void addedSigsAreValidated() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    assertThatThrownBy(() -> narInfo.withAddedSigs(Collections.singletonList("test-1:AAAA")))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("Sig: ");
  }

  @Test
  void aNarinfoThatOnlyGainedSignaturesIsTheSameExceptSigs() {
    NarInfo unsigned = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR).withSigs(Collections.<String>emptyList());
    NarInfo signed = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    assertThat(signed.sameExceptSigs(unsigned)).isTrue();
    assertThat(signed).isNotEqualTo(unsigned);
    assertThat(signed.sameExceptSigs(NarInfo.parse(RB_SIGNED_XZ, STORE_DIR))).isFalse();
  }

  @Test
  void narinfosInDifferentStoreDirectoriesAreDifferent() {
    NarInfo nix = NarInfo.parse(RC_SIGNED_XZ, "/nix/store");
    NarInfo other = NarInfo.parse(RC_SIGNED_XZ.replace("/nix/store/", "/opt/store/"), "/opt/store");

    assertThat(nix).isNotEqualTo(other);
    assertThat(other.fingerprint()).startsWith("1;/opt/store/");
  }

  @Test
  void listsHandedOutCannotBeModified() {
    NarInfo narInfo = NarInfo.parse(RC_SIGNED_XZ, STORE_DIR);

    assertThatThrownBy(() -> narInfo.references().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> narInfo.sigs().add(SIG_B)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> narInfo.extraFields().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void referencePathsAreTheReferencesAsStorePaths() {
    assertThat(NarInfo.parse(RC_SIGNED_XZ, STORE_DIR).referencePaths()).extracting(StorePath::name)
        .containsExactly("rb-1.0", "small.txt");
  }
}
