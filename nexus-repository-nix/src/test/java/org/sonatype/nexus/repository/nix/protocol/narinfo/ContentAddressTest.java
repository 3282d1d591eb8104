package org.sonatype.nexus.repository.nix.protocol.narinfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.narinfo.ContentAddressVectors.ADDED_FILE;
import static org.sonatype.nexus.repository.nix.protocol.narinfo.ContentAddressVectors.DERIVATION;
import static org.sonatype.nexus.repository.nix.protocol.narinfo.ContentAddressVectors.FLAT_SHA256;
import static org.sonatype.nexus.repository.nix.protocol.narinfo.ContentAddressVectors.INPUT_ADDRESSED_STORE_PATH;
import static org.sonatype.nexus.repository.nix.protocol.narinfo.ContentAddressVectors.MADE_CONTENT_ADDRESSED_B;
import static org.sonatype.nexus.repository.nix.protocol.narinfo.ContentAddressVectors.TEXT_WITH_REFERENCE;

class ContentAddressTest
{
  private static final String STORE = "/nix/store";

  private static boolean proves(final String narInfo) {
    return ContentAddress.provesStorePath(NarInfo.parse(narInfo, STORE));
  }

  @Test
  void parsesTheThreeKindsNixWrites() {
    assertThat(ContentAddress.parse("text:sha256:1j7sfwqriah6x0bn61297wg42675194hdmh8lkc9vb7izhhy0gd3").method())
        .isEqualTo(ContentAddress.Method.TEXT);
    assertThat(ContentAddress.parse("fixed:r:sha1:zyrjz2q8c9nljkcvzv347dyjqniyb97y").method())
        .isEqualTo(ContentAddress.Method.RECURSIVE);
    assertThat(ContentAddress.parse("fixed:sha256:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc").method())
        .isEqualTo(ContentAddress.Method.FLAT);
  }

  @Test
  void printsTheHashInNix32AsNixDoes() {
    NixHash hash = NixHash.parse("sha256:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc");

    assertThat(ContentAddress.parse("fixed:sha256:" + hash.toBase16()).toString())
        .isEqualTo("fixed:sha256:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "fixed:git:sha1:zyrjz2q8c9nljkcvzv347dyjqniyb97y",
      "text:sha1:zyrjz2q8c9nljkcvzv347dyjqniyb97y",
      "source:sha256:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc",
      "fixed:r:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc"
  })
  void addressesNix28CannotRecomputeAPathFromAreRejected(final String text) {
    assertThatThrownBy(() -> ContentAddress.parse(text)).isInstanceOf(NixFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ADDED_FILE", "ADDED_TREE", "FLAT_SHA256", "RECURSIVE_SHA1", "FLAT_SHA512", "TEXT", "TEXT_WITH_REFERENCE",
      "FIXED_OUTPUT_FLAT", "FIXED_OUTPUT_RECURSIVE", "MADE_CONTENT_ADDRESSED_A", "MADE_CONTENT_ADDRESSED_B",
      "DERIVATION"
  })
  void everyContentAddressedPathNixMadeProvesItsStorePath(final String vector) throws Exception {
    String narInfo = (String) ContentAddressVectors.class.getDeclaredField(vector).get(null);

    assertThat(proves(narInfo)).isTrue();
  }

  @Test
  void aNarinfoWithoutCaProvesNothing() {
    assertThat(proves(RC_SIGNED_XZ)).isFalse();
  }

  @Test
  void anInputAddressedPathClaimingTheAddressOfAnotherPathIsRefused() {
    String claimed = MADE_CONTENT_ADDRESSED_B
        .replace("StorePath: /nix/store/fs5z54vzjk9ivzszsfg1q7vm57py061i-ref-b-1.0",
            "StorePath: " + INPUT_ADDRESSED_STORE_PATH)
        .replace("References: fs5z54vzjk9ivzszsfg1q7vm57py061i-ref-b-1.0 ", "References: yafwbn8vy3i6m3drfgmfvpdk6xamnj2a-ref-b-1.0 ");

    assertThat(proves(claimed)).isFalse();
  }

  @Test
  void anAlteredContentHashIsRefused() {
    assertThat(proves(FLAT_SHA256.replace("CA: fixed:sha256:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc",
        "CA: fixed:sha256:12gkphf168pfcpwinq27c0nflx5q6j928ysih45wgn5lpkd3hsx2"))).isFalse();
  }

  @Test
  void aNarHashedPathWhoseNarHashIsNotItsAddressIsRefused() {
    // the path still matches its CA, but the NAR it describes cannot be the one the CA names
    assertThat(proves(ADDED_FILE.replace("NarHash: sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z",
        "NarHash: sha256:0f4vbsigakn8r8f0fazw8bky1jyw95jl04kckaif8h3yqzidck94"))).isFalse();
  }

  @Test
  void aTextPathWithADroppedReferenceIsRefused() {
    assertThat(proves(TEXT_WITH_REFERENCE.replace("References: p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt",
        "References: "))).isFalse();
  }

  @Test
  void aTextPathWithAnAddedReferenceIsRefused() {
    assertThat(proves(DERIVATION.replace("References: fphfd3if90nswngq5ixk3qaa004p8q4f-ref-a-1.0.drv",
        "References: fphfd3if90nswngq5ixk3qaa004p8q4f-ref-a-1.0.drv p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt")))
        .isFalse();
  }

  @Test
  void aFlatPathWithAReferenceIsRefused() {
    assertThat(proves(FLAT_SHA256.replace("References: ", "References: p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt")))
        .isFalse();
  }

  @Test
  void aDroppedSelfReferenceIsRefused() {
    assertThat(proves(MADE_CONTENT_ADDRESSED_B.replace("References: fs5z54vzjk9ivzszsfg1q7vm57py061i-ref-b-1.0 ",
        "References: "))).isFalse();
  }

  @Test
  void aGitAddressProvesNothingToNix28() {
    assertThat(proves(FLAT_SHA256.replace("CA: fixed:sha256:", "CA: fixed:git:sha256:"))).isFalse();
  }
}
