package org.sonatype.nexus.repository.nix.hosted;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NarVerificationsTest
{
  private static final NarInfo NAR_INFO = NarInfo.parse(""
      + "StorePath: /nix/store/7h7qgvs4kgzsn8a6rb273saxyqh4jxlz-hello-2.12.1\n"
      + "URL: nar/1w1fff338fvdw53sqgamddn1b2xgds473pv6y13gizdbqjv4i5p3.nar.xz\n"
      + "Compression: xz\n"
      + "NarHash: sha256:0yjycizc8v9950dz9a69a7qlzcba1y6ssi6gzw4c6mng8pcx5vk4\n"
      + "NarSize: 226560\n"
      + "References: \n", "/nix/store");

  private static final String CLAIM = "xz;sha256:0yjycizc8v9950dz9a69a7qlzcba1y6ssi6gzw4c6mng8pcx5vk4;226560";

  @Test
  void aClaimIsTheCompressionNarHashAndNarSize() {
    assertThat(NarVerifications.claimOf(NAR_INFO)).isEqualTo(CLAIM);
  }

  @Test
  void aNarWithoutAttributesHasNothingVerified() {
    assertThat(NarVerifications.verified(Map.of())).isEmpty();
  }

  @Test
  void claimsAreKeptAsAListOfStringsUnderAFixedName() {
    Map<String, Object> nix = NarVerifications.withVerified(Map.of("storeHash", "x"), CLAIM);

    assertThat(nix).containsEntry("storeHash", "x").containsEntry("verifiedAs", List.of(CLAIM));
    assertThat(nix.keySet()).as("no attribute name derived from the NAR: each would be a search index field")
        .containsExactly("storeHash", "verifiedAs");
    assertThat(NarVerifications.verified(nix)).containsExactly(CLAIM);
  }

  @Test
  void aClaimVerifiedAgainIsListedOnce() {
    Map<String, Object> once = NarVerifications.withVerified(Map.of(), CLAIM);

    assertThat(NarVerifications.withVerified(once, CLAIM).get("verifiedAs")).isEqualTo(List.of(CLAIM));
  }

  @Test
  void claimsOfEarlierReleasesKeptAsMapKeysAreReadAndMovedIntoTheList() {
    Map<String, Object> legacy = new LinkedHashMap<>();
    legacy.put("verified", Map.of("zstd;sha256:abc;12", Boolean.TRUE));

    assertThat(NarVerifications.verified(legacy)).containsExactly("zstd;sha256:abc;12");
    Map<String, Object> updated = NarVerifications.withVerified(legacy, CLAIM);
    assertThat(updated).doesNotContainKey("verified");
    assertThat(updated.get("verifiedAs")).isEqualTo(List.of("zstd;sha256:abc;12", CLAIM));
  }
}
