package org.sonatype.nexus.repository.nix.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request paths as the real client sends them (traces in the protocol reference, Nix 2.8), and a few other
 * servers' NAR names.
 */
class NixPathsTest
{
  @Test
  void narinfoPathsAreTheHashPartPlusNarinfo() {
    Matcher m = match(NixPaths.NARINFO, "/620dnj4f33nr5g88k4qn5l9i9jcwxgr4.narinfo");

    assertThat(m.group("hash")).isEqualTo("620dnj4f33nr5g88k4qn5l9i9jcwxgr4");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/620dnj4f33nr5g88k4qn5l9i9jcwxg.narinfo", "/620dnj4f33nr5g88k4qn5l9i9jcwxgr4e.narinfo",
      "/620dnj4f33nr5g88k4qn5l9i9jcwxgre.narinfo", "/620DNJ4F33NR5G88K4QN5L9I9JCWXGR4.narinfo",
      "620dnj4f33nr5g88k4qn5l9i9jcwxgr4.narinfo", "/nar/620dnj4f33nr5g88k4qn5l9i9jcwxgr4.narinfo",
      "/620dnj4f33nr5g88k4qn5l9i9jcwxgr4.narinfo/"})
  void narinfoPathsNeedExactly32Nix32CharactersAtTheRoot(final String path) {
    assertThat(NixPaths.NARINFO.matcher(path).matches()).isFalse();
  }

  @Test
  void narinfoPathOfAStorePath() {
    assertThat(NixPaths.narInfoPath(StorePath.fromBaseName("620dnj4f33nr5g88k4qn5l9i9jcwxgr4-rc-1.0")))
        .isEqualTo("/620dnj4f33nr5g88k4qn5l9i9jcwxgr4.narinfo");
  }

  @Test
  void listingPathsAreTheHashPartPlusLs() {
    assertThat(match(NixPaths.LISTING, "/y81zakfi2hwysaf9yhhcy676jy32gr2v.ls").group("hash"))
        .isEqualTo("y81zakfi2hwysaf9yhhcy676jy32gr2v");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/nar/1jxjxg5dmjsa0qy3857h4fw1a7b9m90vdkd08xx3bnwl28g7mh6p.nar.xz",
      "/nar/1hlpf5gg89a7fdxv2jjh6g6il1j9w6gz7k27gjdnif38dxfpwmwv.nar.zst",
      "/nar/0c2x838h69j67772wc217x6pvgwsmyq8w1gay4ndsxvadmydg6x2.nar",
      "/nar/06rvkp1jzgna69khkih927w6ij9wgaqg4qbqlx30wb6szk5x1w8a.nar.bz2",
      "/nar/0i5f3h4aqavswrf1nvkkdsng1qi1kvpw33hmr8vhb34w8f5176zi.nar.br",
      "/nar/1552x1422z6m9qn1hq4vvzjw3wrz1ykrz4wvv7b9n91jshsbqz0c.nar.lz4",
      "/nar/1rbr4d5b3mmr6nfl3d8fc4n913fssfwiys5bd9k5ahr10n3ns6am.nar.lzip",
      "/nar/s5rwyk61cv3wf3gs5lh41faw36qqsiv3-0pm5092rsngd3zwl1yjsn3xkvp69dkv4hipdkpbfp43j7wj1gfpm.nar",
      "/nar/s5rwyk61cv3wf3gs5lh41faw36qqsiv3.nar",
      "/nar/d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592.nar.zst"
  })
  void narPathsAcceptNixAndOtherServersNamingSchemes(final String path) {
    assertThat(NixPaths.NAR.matcher(path).matches()).isTrue();
  }

  @Test
  void narPathGroupsSplitStemAndExtension() {
    Matcher m = match(NixPaths.NAR, "/nar/1hlpf5gg89a7fdxv2jjh6g6il1j9w6gz7k27gjdnif38dxfpwmwv.nar.zst");

    assertThat(m.group("file")).isEqualTo("1hlpf5gg89a7fdxv2jjh6g6il1j9w6gz7k27gjdnif38dxfpwmwv.nar.zst");
    assertThat(m.group("stem")).isEqualTo("1hlpf5gg89a7fdxv2jjh6g6il1j9w6gz7k27gjdnif38dxfpwmwv");
    assertThat(m.group("extension")).isEqualTo(".nar.zst");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/nar/", "/nar/..", "/nar/../x.nar", "/nar/a/b.nar", "/nar/.nar", "/nar/x.nar.",
      "/nar/x.nar.xz.gz", "/nar/x y.nar", "/nar/x.tar", "/nar/-x.nar", "/nar/x.nar\n", "nar/x.nar"})
  void narPathsNeverContainTraversalSlashesOrStrayDots(final String path) {
    assertThat(NixPaths.NAR.matcher(path).matches()).isFalse();
  }

  @Test
  void logPathsAreKeyedByTheDeriverBaseName() {
    Matcher m = match(NixPaths.LOG, "/log/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd-1.0.drv");

    assertThat(m.group("name")).isEqualTo("r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd-1.0.drv");
  }

  @Test
  void logNamesMayUseEveryStorePathNameCharacter() {
    assertThat(NixPaths.LOG.matcher("/log/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-g++_x?y=1-2.0.drv").matches()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/log/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-.drv", "/log/..", "/log/r47nxkzjrx88gjbsb1pzx2lrlz13kdch",
      "/log/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd/1.0.drv", "/log/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd 1.0.drv"})
  void logPathsMustBeAStorePathBaseName(final String path) {
    assertThat(NixPaths.LOG.matcher(path).matches()).isFalse();
  }

  @Test
  void realisationPathsOfNix28AreRecognisedWithTheirColonAndBang() {
    Matcher m = match(NixPaths.REALISATION,
        "/realisations/sha256:a16482caa8bcb6ca5a33260c22c9947e5e81f46e737aed6457d03329e6295128!out.doi");

    assertThat(m.group("id"))
        .isEqualTo("sha256:a16482caa8bcb6ca5a33260c22c9947e5e81f46e737aed6457d03329e6295128!out");
    assertThat(m.group("algo")).isEqualTo("sha256");
    assertThat(m.group("digest")).isEqualTo("a16482caa8bcb6ca5a33260c22c9947e5e81f46e737aed6457d03329e6295128");
    assertThat(m.group("output")).isEqualTo("out");
  }

  @Test
  void realisationOutputNamesFollowStorePathNameRules() {
    assertThat(NixPaths.REALISATION.matcher(
        "/realisations/sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v!dev.lib.doi").matches()).isTrue();
    assertThat(NixPaths.REALISATION.matcher(
        "/realisations/sha256:a16482caa8bcb6ca5a33260c22c9947e5e81f46e737aed6457d03329e6295128!.doi").matches())
        .isFalse();
    assertThat(NixPaths.REALISATION.matcher(
        "/realisations/sha256:a16482caa8bcb6ca5a33260c22c9947e5e81f46e737aed6457d03329e6295128!../x.doi")
        .matches()).isFalse();
    assertThat(NixPaths.REALISATION.matcher(
        "/realisations/blake3:a16482caa8bcb6ca5a33260c22c9947e5e81f46e737aed6457d03329e6295128!out.doi")
        .matches()).isFalse();
  }

  @Test
  void buildTracePathsOfNix235AreRecognised() {
    Matcher m = match(NixPaths.BUILD_TRACE, "/build-trace-v2/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd-1.0.drv/out.doi");

    assertThat(m.group("drv")).isEqualTo("r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd-1.0.drv");
    assertThat(m.group("output")).isEqualTo("out");
    assertThat(NixPaths.BUILD_TRACE.matcher("/build-trace-v2/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd-1.0.drv/../out.doi")
        .matches()).isFalse();
  }

  @Test
  void debuginfoPathsCarryTheBuildIdWithTheDebugSuffixNixActuallyUses() {
    Matcher m = match(NixPaths.DEBUGINFO, "/debuginfo/abcdef0123456789abcdef0123456789abcdef01.debug");

    assertThat(m.group("buildId")).isEqualTo("abcdef0123456789abcdef0123456789abcdef01");
  }

  @Test
  void debuginfoPathsWithoutTheSuffixAreAcceptedToo() {
    assertThat(NixPaths.DEBUGINFO.matcher("/debuginfo/abcdef0123456789abcdef0123456789abcdef01").matches()).isTrue();
    assertThat(NixPaths.DEBUGINFO.matcher("/debuginfo/abcdef0123456789abcdef0123456789abcdef0").matches()).isFalse();
    assertThat(NixPaths.DEBUGINFO.matcher("/debuginfo/ABCDEF0123456789ABCDEF0123456789ABCDEF01.debug").matches())
        .isFalse();
  }

  @Test
  void nixCacheInfoHasOneFixedPath() {
    assertThat(NixPaths.NIX_CACHE_INFO.matcher(NixPaths.NIX_CACHE_INFO_PATH).matches()).isTrue();
    assertThat(NixPaths.NIX_CACHE_INFO.matcher("/nix-cache-info/").matches()).isFalse();
  }

  @Test
  void eachRequestPathMatchesOnlyItsOwnPattern() {
    Pattern[] patterns = {NixPaths.NARINFO, NixPaths.LISTING, NixPaths.NAR, NixPaths.LOG, NixPaths.REALISATION,
        NixPaths.BUILD_TRACE, NixPaths.DEBUGINFO, NixPaths.NIX_CACHE_INFO};
    String[] paths = {"/620dnj4f33nr5g88k4qn5l9i9jcwxgr4.narinfo", "/y81zakfi2hwysaf9yhhcy676jy32gr2v.ls",
        "/nar/1jxjxg5dmjsa0qy3857h4fw1a7b9m90vdkd08xx3bnwl28g7mh6p.nar.xz",
        "/log/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd-1.0.drv",
        "/realisations/sha256:a16482caa8bcb6ca5a33260c22c9947e5e81f46e737aed6457d03329e6295128!out.doi",
        "/build-trace-v2/r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd-1.0.drv/out.doi",
        "/debuginfo/abcdef0123456789abcdef0123456789abcdef01.debug", "/nix-cache-info"};

    for (int p = 0; p < patterns.length; p++) {
      for (int i = 0; i < paths.length; i++) {
        assertThat(patterns[p].matcher(paths[i]).matches()).as(patterns[p] + " vs " + paths[i]).isEqualTo(p == i);
      }
    }
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"rd-1.0.drv", "sha256:abc!out.doi", "g++", "a=b?c", "...", "x.."})
  void ordinaryNamesAreSafeSegments(final String segment) {
    assertThat(NixPaths.isSafeSegment(segment)).isTrue();
  }

  @ParameterizedTest(name = "''{0}''")
  @NullAndEmptySource
  @ValueSource(strings = {".", "..", "a/b", "a\\b", "a\u0000b", "a\nb", "a\u007fb", "/"})
  void traversalAndControlCharactersAreNotSafeSegments(final String segment) {
    assertThat(NixPaths.isSafeSegment(segment)).isFalse();
  }

  private static Matcher match(final Pattern pattern, final String path) {
    Matcher m = pattern.matcher(path);
    assertThat(m.matches()).as(path).isTrue();
    return m;
  }
}
