package org.sonatype.nexus.repository.nix.protocol;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Store path computation against paths the real Nix made (see {@link ContentAddressVectors} for how).
 */
class StorePathsTest
{
  private static final String STORE = "/nix/store";

  private static final List<StorePath> NONE = Collections.emptyList();

  private static NixHash hash(final String text) {
    return NixHash.parse(text);
  }

  private static String absolute(final StorePath path) {
    return path.toAbsolute(STORE);
  }

  @Test
  void aNarHashedSha256PathIsASourcePathAsNixStoreAddMakesIt() {
    StorePath path = StorePaths.makeFixedOutputPath(STORE, true,
        hash("sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z"), "hello.txt", NONE, false);

    assertThat(absolute(path)).isEqualTo("/nix/store/9garfv0mdg22nbpw01h7rybkx1qlcj70-hello.txt");
  }

  @Test
  void aFlatSha256PathIsNamedByTheHashOfItsFixedOutputDescription() {
    StorePath path = StorePaths.makeFixedOutputPath(STORE, false,
        hash("sha256:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc"), "hello.txt", NONE, false);

    assertThat(absolute(path)).isEqualTo("/nix/store/k0jw4l7j6a6714kf69rk7zzwk8ln82bf-hello.txt");
  }

  @Test
  void aNarHashedPathWithAnotherAlgorithmIsAFixedOutputPathWithTheRecursiveMarker() {
    StorePath path = StorePaths.makeFixedOutputPath(STORE, true,
        hash("sha1:zyrjz2q8c9nljkcvzv347dyjqniyb97y"), "tree", NONE, false);

    assertThat(absolute(path)).isEqualTo("/nix/store/7c553bh5bxsflrp866yj7nhplrsqqv2j-tree");
  }

  @Test
  void aFlatSha512PathIsAFixedOutputPath() {
    StorePath path = StorePaths.makeFixedOutputPath(STORE, false, hash("sha512:2b87fmizxbrxcrnkg2m8hijsnmp99w3vs83z0"
        + "z8fny26yxci8wvzv8glkrbywbf8d5672259mv935wviriw97prvx3586rzpgpl6pn8"), "hello.txt", NONE, false);

    assertThat(absolute(path)).isEqualTo("/nix/store/zj3qyk0wdr4wvny4aq22vnkfhwz07bkd-hello.txt");
  }

  @Test
  void theHashMayBeGivenInAnyEncodingNixAccepts() {
    NixHash nix32 = hash("sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z");

    StorePath fromBase16 = StorePaths.makeFixedOutputPath(STORE, true, hash("sha256:" + nix32.toBase16()),
        "hello.txt", NONE, false);

    assertThat(absolute(fromBase16)).isEqualTo("/nix/store/9garfv0mdg22nbpw01h7rybkx1qlcj70-hello.txt");
  }

  @Test
  void aSourcePathListsItsReferencesAndItsSelfReferenceInItsType() {
    StorePath path = StorePaths.makeFixedOutputPath(STORE, true,
        hash("sha256:1chkwq1a3ip32p458j24csclrq0grwq1z12z32aydncbjmis69k3"), "ref-b-1.0",
        List.of(StorePath.fromBaseName("hyv91zvhf6ji7dhc2fvk9ybpfbnyp0g0-ref-a-1.0")), true);

    assertThat(absolute(path)).isEqualTo("/nix/store/fs5z54vzjk9ivzszsfg1q7vm57py061i-ref-b-1.0");
  }

  @Test
  void aTextPathWithoutReferencesAsBuiltinsToFileMakesIt() {
    StorePath path = StorePaths.makeTextPath(STORE,
        hash("sha256:1j7sfwqriah6x0bn61297wg42675194hdmh8lkc9vb7izhhy0gd3"), "dep.txt", NONE);

    assertThat(absolute(path)).isEqualTo("/nix/store/p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt");
  }

  @Test
  void aTextPathListsItsReferencesInItsType() {
    StorePath path = StorePaths.makeTextPath(STORE,
        hash("sha256:1j26rwywygvv2q3bxqdbmbm407za1zwd0hnsh7lznkn0gyr0qanr"), "with-ref.txt",
        List.of(StorePath.fromBaseName("p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt")));

    assertThat(absolute(path)).isEqualTo("/nix/store/8x60jwc9faqygm0pplir6xmqyv8k109x-with-ref.txt");
  }

  @Test
  void aDerivationIsATextPath() {
    StorePath path = StorePaths.makeTextPath(STORE,
        hash("sha256:042vrzfmk93x2fmlg91a4m2zk3bk2yq5wwz2j3p0m8mh7x9gnrq4"), "ref-b-1.0.drv",
        List.of(StorePath.fromBaseName("fphfd3if90nswngq5ixk3qaa004p8q4f-ref-a-1.0.drv")));

    assertThat(absolute(path)).isEqualTo("/nix/store/7f4rp2jzf7xjbcxsfm04kxf8sj2sf1wf-ref-b-1.0.drv");
  }

  @Test
  void referencesAreTakenInSortedOrderWhateverOrderTheyComeIn() {
    StorePath a = StorePath.fromBaseName("p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt");
    StorePath b = StorePath.fromBaseName("0000000000000000000000000000000a-other");
    NixHash h = hash("sha256:1j26rwywygvv2q3bxqdbmbm407za1zwd0hnsh7lznkn0gyr0qanr");

    assertThat(StorePaths.makeTextPath(STORE, h, "x", List.of(a, b)))
        .isEqualTo(StorePaths.makeTextPath(STORE, h, "x", List.of(b, a)));
  }

  @Test
  void theStoreDirectoryIsPartOfThePath() {
    NixHash h = hash("sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z");

    assertThat(StorePaths.makeFixedOutputPath("/gnu/store", true, h, "hello.txt", NONE, false))
        .isNotEqualTo(StorePaths.makeFixedOutputPath(STORE, true, h, "hello.txt", NONE, false));
  }

  @Test
  void aFlatPathCannotHaveReferences() {
    assertThatThrownBy(() -> StorePaths.makeFixedOutputPath(STORE, false,
        hash("sha256:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc"), "hello.txt",
        List.of(StorePath.fromBaseName("p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt")), false))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("cannot have references");
  }

  @Test
  void aTextPathIsHashedWithSha256Only() {
    assertThatThrownBy(() -> StorePaths.makeTextPath(STORE, hash("sha1:zyrjz2q8c9nljkcvzv347dyjqniyb97y"), "x", NONE))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("sha256");
  }

  @Test
  void xorFoldingCombinesEveryByteIntoTheShorterHash() {
    byte[] digest = new byte[32];
    digest[0] = 0x0f;
    digest[20] = (byte) 0xf0;
    digest[21] = 0x01;

    byte[] folded = StorePaths.xorFold(digest, 20);

    assertThat(folded).hasSize(20);
    assertThat(folded[0]).isEqualTo((byte) 0xff);
    assertThat(folded[1]).isEqualTo((byte) 0x01);
  }
}
