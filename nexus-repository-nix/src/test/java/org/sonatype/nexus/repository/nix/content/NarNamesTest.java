package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.nix.protocol.NixHash;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NarNamesTest
{
  private static final String FILE_HASH = "0wjligi5anrbhjcls33h1kjs6vcx4mlh848pk7b6dgpmkx3nvrdc";

  @Test
  void theNameNixCopyGivesANarSaysItsFileHash() {
    assertThat(NarNames.fileHashNamedBy("/nar/" + FILE_HASH + ".nar.zst"))
        .contains(NixHash.parse("sha256:" + FILE_HASH));
    assertThat(NarNames.fileHashNamedBy("/nar/" + FILE_HASH + ".nar"))
        .contains(NixHash.parse("sha256:" + FILE_HASH));
  }

  @Test
  void otherNamesSayNothing() {
    // nix-serve's <storehash>-<narhash>.nar, a hex name, a NarHash-derived name, a shorter hash
    assertThat(NarNames.fileHashNamedBy("/nar/" + "a".repeat(32) + "-" + FILE_HASH + ".nar")).isEmpty();
    assertThat(NarNames.fileHashNamedBy("/nar/" + "0123456789abcdef".repeat(4) + ".nar.zst")).isEmpty();
    assertThat(NarNames.fileHashNamedBy("/nar/" + FILE_HASH + "-zstd.nar.zst")).isEmpty();
    assertThat(NarNames.fileHashNamedBy("/nar/" + FILE_HASH.substring(1) + ".nar.zst")).isEmpty();
  }

  @Test
  void fiftyTwoLettersThatAreNoHashSayNothing() {
    assertThat(NarNames.fileHashNamedBy("/nar/" + "z".repeat(52) + ".nar.xz")).isEmpty();
  }
}
