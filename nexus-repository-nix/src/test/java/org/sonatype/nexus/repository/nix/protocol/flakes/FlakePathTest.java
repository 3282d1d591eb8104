package org.sonatype.nexus.repository.nix.protocol.flakes;

import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlakePathTest
{
  @Test
  void theRegistry() {
    assertThat(FlakePath.isFlakePath("/flake-registry.json")).isTrue();
    assertThat(FlakePath.parse("/flake-registry.json").kind()).isEqualTo(FlakePath.Kind.REGISTRY);
  }

  @Test
  void aVersionsTarballInEachFormat() {
    FlakePath gz = FlakePath.parse("/flakes/mytool/1.0.0.tar.gz");

    assertThat(gz.kind()).isEqualTo(FlakePath.Kind.RELEASE);
    assertThat(gz.name()).isEqualTo("mytool");
    assertThat(gz.release()).isEqualTo(FlakeRelease.of("mytool", "1.0.0", FlakeArchive.TAR_GZ));
    assertThat(gz.release().tarballPath()).isEqualTo("/flakes/mytool/1.0.0.tar.gz");
    assertThat(FlakePath.parse("/flakes/mytool/1.0.0.tar.xz").release().archive()).isEqualTo(FlakeArchive.TAR_XZ);
    assertThat(FlakePath.parse("/flakes/mytool/2.tar.zst").release().archive()).isEqualTo(FlakeArchive.TAR_ZST);
  }

  @Test
  void theLatestVersion() {
    FlakePath latest = FlakePath.parse("/flakes/mytool.tar.gz");

    assertThat(latest.kind()).isEqualTo(FlakePath.Kind.LATEST);
    assertThat(latest.name()).isEqualTo("mytool");
    assertThat(FlakePath.parse("/flakes/mytool.tar.zst").kind()).isEqualTo(FlakePath.Kind.LATEST);
  }

  @Test
  void otherPathsUnderFlakesAreRefusedWithTheGrammar() {
    for (String path : new String[]{"/flakes/", "/flakes/mytool", "/flakes/mytool/", "/flakes/mytool/1.0.0",
        "/flakes/mytool/1.0.0.zip", "/flakes/mytool/1.0.0/x.tar.gz", "/flakes/.tar.gz", "/flakes/mytool/.tar.gz"}) {
      assertThat(FlakePath.isFlakePath(path)).as(path).isTrue();
      assertThatThrownBy(() -> FlakePath.parse(path)).as(path).isInstanceOf(NixFormatException.class);
    }
    assertThatThrownBy(() -> FlakePath.parse("/flakes/mytool/1.0.0"))
        .hasMessageContaining("flakes/<name>/<version>");
  }

  @Test
  void badNamesAndVersionsAreRefused() {
    assertThatThrownBy(() -> FlakePath.parse("/flakes/my.tool/1.0.tar.gz")).hasMessageContaining("flake name");
    assertThatThrownBy(() -> FlakePath.parse("/flakes/mytool/..tar.gz")).hasMessageContaining("flake version");
  }

  @Test
  void otherPathsAreNotFlakePaths() {
    assertThat(FlakePath.isFlakePath("/flakes")).isFalse();
    assertThat(FlakePath.isFlakePath("/nix-cache-info")).isFalse();
    assertThat(FlakePath.isFlakePath("/channels/x")).isFalse();
  }

  @Test
  void storedPathsReadBack() {
    assertThat(FlakeRelease.fromTarballPath("/flakes/mytool/1.0.0.tar.xz"))
        .contains(FlakeRelease.of("mytool", "1.0.0", FlakeArchive.TAR_XZ));
    assertThat(FlakeRelease.fromTarballPath("/flakes/mytool/1.0.0")).isEmpty();
    assertThat(FlakeRelease.fromTarballPath("/flakes/my.tool/1.0.0.tar.gz")).isEmpty();
  }
}
