package org.sonatype.nexus.repository.nix.flakes;

import java.util.HashMap;
import java.util.Map;

import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeArchive;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Nix locks a version by is read back from the asset's attributes as the database returns them.
 */
class StoredFlakeTest
{
  private static final FlakeRelease RELEASE = FlakeRelease.of("mytool", "1.0.0", FlakeArchive.TAR_GZ);

  private static final String NAR_HASH = "sha256-RBFH6l9xCXLXYA+sVfJiTWj6orR4l/uBq7SEloY8zVo=";

  @Test
  void attributesReadBackWhateverNumberTypeTheDatabaseGives() {
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("narHash", NAR_HASH);
    attributes.put("lastModified", 1700000123);

    StoredFlake stored = StoredFlake.fromAttributes(RELEASE, attributes).orElseThrow();

    assertThat(stored.narHash().toSri()).isEqualTo(NAR_HASH);
    assertThat(stored.lastModified()).isEqualTo(1700000123L);
    assertThat(stored.immutableUrl("http://nexus/repository/r")).isEqualTo("http://nexus/repository/r/flakes/"
        + "mytool/1.0.0.tar.gz?narHash=sha256-RBFH6l9xCXLXYA%2BsVfJiTWj6orR4l%2FuBq7SEloY8zVo%3D"
        + "&lastModified=1700000123");
  }

  @Test
  void withoutAUsableNarHashThereIsNothingToLock() {
    assertThat(StoredFlake.fromAttributes(RELEASE, Map.of())).isEmpty();
    assertThat(StoredFlake.fromAttributes(RELEASE, Map.of("narHash", "sha256-short"))).isEmpty();
    assertThat(StoredFlake.fromAttributes(RELEASE, Map.of("narHash", 42))).isEmpty();
  }

  @Test
  void anUnknownLastModifiedIsLeftOutOfTheUrl() {
    StoredFlake stored = StoredFlake.fromAttributes(RELEASE, Map.of("narHash", NAR_HASH)).orElseThrow();

    assertThat(stored.immutableUrl("http://nexus/repository/r")).doesNotContain("lastModified");
  }
}
