package org.sonatype.nexus.repository.nix.protocol.narinfo;

import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NixCacheInfoTest
{
  @Test
  void theInfoNixPutsIntoAnEmptyCacheHasOnlyAStoreDir() {
    // the body of `PUT /nix-cache-info` sent by nix copy --to an empty cache
    NixCacheInfo info = NixCacheInfo.parse("StoreDir: /nix/store\n");

    assertThat(info.storeDir()).hasValue("/nix/store");
    assertThat(info.wantMassQuery()).isFalse();
    assertThat(info.priority()).isZero();
  }

  @Test
  void cacheNixosOrgStyleInfoIsRead() {
    NixCacheInfo info = NixCacheInfo.parse("StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n");

    assertThat(info).isEqualTo(NixCacheInfo.of("/nix/store", true, 40));
  }

  @Test
  void valuesAreTrimmedAndCrlfIsHarmless() {
    NixCacheInfo info = NixCacheInfo.parse("StoreDir:/nix/store  \r\nWantMassQuery:   1\r\nPriority: 30\r\n");

    assertThat(info).isEqualTo(NixCacheInfo.of("/nix/store", true, 30));
  }

  @Test
  void unknownKeysAndLinesWithoutAColonAreIgnored() {
    NixCacheInfo info = NixCacheInfo.parse("# comment\nFoo: bar\n\nPriority: 10\nnonsense");

    assertThat(info.priority()).isEqualTo(10);
    assertThat(info.storeDir()).isEmpty();
  }

  @Test
  void wantMassQueryIsTrueOnlyForExactly1() {
    assertThat(NixCacheInfo.parse("WantMassQuery: true\n").wantMassQuery()).isFalse();
    assertThat(NixCacheInfo.parse("WantMassQuery: 0\n").wantMassQuery()).isFalse();
  }

  @Test
  void aNonNumericPriorityIsAnError() {
    assertThatThrownBy(() -> NixCacheInfo.parse("Priority: high\n"))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("Priority: 'high' is not an integer");
  }

  @Test
  void toTextWritesAllThreeFields() {
    assertThat(NixCacheInfo.of("/nix/store", true, 30).toText())
        .isEqualTo("StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 30\n");
  }

  @Test
  void toTextLeavesOutAnUnknownStoreDir() {
    assertThat(NixCacheInfo.parse("Priority: 5").toText()).isEqualTo("WantMassQuery: 0\nPriority: 5\n");
  }

  @Test
  void ofValidatesTheStoreDir() {
    assertThatThrownBy(() -> NixCacheInfo.of("/nix/store/", true, 30)).isInstanceOf(NixFormatException.class);
  }

  @Test
  void parseOfToTextIsEqual() {
    NixCacheInfo info = NixCacheInfo.of("/opt/store", false, -3);

    assertThat(NixCacheInfo.parse(info.toText())).isEqualTo(info).hasSameHashCodeAs(info);
  }
}
