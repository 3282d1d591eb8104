package org.sonatype.nexus.repository.nix.protocol.nar;

import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixVectors;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sonatype.nexus.repository.nix.protocol.nar.NarCheck.Outcome.FILE_HASH_DIFFERS;
import static org.sonatype.nexus.repository.nix.protocol.nar.NarCheck.Outcome.FILE_HASH_UNSUPPORTED;
import static org.sonatype.nexus.repository.nix.protocol.nar.NarCheck.Outcome.FILE_SIZE_DIFFERS;
import static org.sonatype.nexus.repository.nix.protocol.nar.NarCheck.Outcome.MATCHES;
import static org.sonatype.nexus.repository.nix.protocol.nar.NarCheck.Outcome.NAR_DIFFERS;

class NarCheckTest
{
  private static final NarInfo NAR_INFO = NarInfo.parse(NixVectors.RB_SIGNED_XZ, "/nix/store");

  private static final NixHash FILE_HASH = NAR_INFO.fileHash().get();

  private static final NixHash OTHER_HASH = NixHash.parse("sha256:0c2x838h69j67772wc217x6pvgwsmyq8w1gay4ndsxvadmydg6x2");

  private static NarInfo withLine(final String field, final String value) {
    String text = NixVectors.RB_SIGNED_XZ.replaceAll("(?m)^" + field + ": .*\n", value == null ? ""
        : field + ": " + value + "\n");
    return NarInfo.parse(text, "/nix/store");
  }

  @Test
  void theFileTheNarinfoDescribesMatchesByItsHash() {
    NarCheck check = NarCheck.ofFile(NAR_INFO, 3072, FILE_HASH);

    assertThat(check.outcome()).isEqualTo(MATCHES);
    assertThat(check.fileHashMatched()).isTrue();
  }

  @Test
  void aFileOfAnotherSizeDiffersWhateverItsHash() {
    assertThat(NarCheck.ofFile(NAR_INFO, 3071, FILE_HASH).outcome()).isEqualTo(FILE_SIZE_DIFFERS);
  }

  @Test
  void aFileOfAnotherHashDiffers() {
    NarCheck check = NarCheck.ofFile(NAR_INFO, 3072, OTHER_HASH);

    assertThat(check.outcome()).isEqualTo(FILE_HASH_DIFFERS);
    assertThat(check.fileHashMatched()).isFalse();
  }

  @Test
  void withoutTheFilesHashOnlyItsSizeIsCheckedAndNothingIsProven() {
    NarCheck check = NarCheck.ofFile(NAR_INFO, 3072, null);

    assertThat(check.outcome()).isEqualTo(MATCHES);
    assertThat(check.fileHashMatched()).isFalse();
  }

  @Test
  void claimsTheNarinfoDoesNotMakeAreNotChecked() {
    NarInfo noFileClaims = withLine("FileSize", null);
    noFileClaims = NarInfo.parse(noFileClaims.toText().replaceAll("(?m)^FileHash: .*\n", ""), "/nix/store");

    NarCheck check = NarCheck.ofFile(noFileClaims, 1, OTHER_HASH);

    assertThat(check.outcome()).isEqualTo(MATCHES);
    assertThat(check.fileHashMatched()).isFalse();
  }

  @Test
  void aFileHashOfAnotherTypeCannotBeChecked() {
    NarInfo sha1 = withLine("FileHash", "sha1:" + "0".repeat(32));

    assertThat(NarCheck.ofFile(sha1, 3072, FILE_HASH).outcome()).isEqualTo(FILE_HASH_UNSUPPORTED);
  }

  @Test
  void theNarMatchesWhenItsHashAndSizeAreTheNarinfos() {
    NarDigest digest = new NarDigest(NAR_INFO.narHash(), NAR_INFO.narSize(), FILE_HASH, 3072);

    assertThat(NarCheck.ofNar(NAR_INFO, digest).outcome()).isEqualTo(MATCHES);
  }

  @Test
  void aNarOfAnotherHashDiffers() {
    NarDigest digest = new NarDigest(FILE_HASH, NAR_INFO.narSize(), FILE_HASH, 3072);

    assertThat(NarCheck.ofNar(NAR_INFO, digest).outcome()).isEqualTo(NAR_DIFFERS);
  }

  @Test
  void aNarOfAnotherSizeDiffers() {
    NarDigest digest = new NarDigest(NAR_INFO.narHash(), NAR_INFO.narSize() + 1, FILE_HASH, 3072);

    assertThat(NarCheck.ofNar(NAR_INFO, digest).outcome()).isEqualTo(NAR_DIFFERS);
  }
}
