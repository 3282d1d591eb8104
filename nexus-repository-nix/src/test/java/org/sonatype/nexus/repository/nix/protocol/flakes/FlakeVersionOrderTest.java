package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Semantic versions by precedence, above everything else; the rest, and ties, by upload time (lists are given
 * most recently uploaded first).
 */
class FlakeVersionOrderTest
{
  @Test
  void numericPartsCompareAsNumbers() {
    assertThat(sorted("1.9.0", "1.10.0", "1.2.0")).containsExactly("1.10.0", "1.9.0", "1.2.0");
    assertThat(newest("0.9", "0.10")).isEqualTo("0.10");
    assertThat(newest("1.0.0", "99999999999999999999.0")).isEqualTo("99999999999999999999.0");
  }

  @Test
  void aReleaseIsNewerThanItsPreReleases() {
    assertThat(sorted("1.0.0-rc.1", "1.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.11", "1.0.0-beta.2",
        "1.0.0-alpha.beta", "1.0.0-beta"))
        // semver.org's own example, newest first
        .containsExactly("1.0.0", "1.0.0-rc.1", "1.0.0-beta.11", "1.0.0-beta.2", "1.0.0-beta", "1.0.0-alpha.beta",
            "1.0.0-alpha.1", "1.0.0-alpha");
  }

  @Test
  void aLeadingVIsAllowed() {
    assertThat(newest("v1.2", "v1.10", "1.3")).isEqualTo("v1.10");
  }

  @Test
  void semanticVersionsRankAboveOthersWhicheverWasUploadedLater() {
    assertThat(newest("nightly", "2025-01-15", "0.1.0")).isEqualTo("0.1.0");
  }

  @Test
  void otherVersionsGoByUploadTime() {
    // 2025-01-15 is not version 2025 with a pre-release: a semantic version needs two numeric parts
    assertThat(sorted("2024-12-01", "2025-01-15", "abc123")).containsExactly("2024-12-01", "2025-01-15", "abc123");
    assertThat(newest("5", "7")).isEqualTo("5");
  }

  @Test
  void equalPrecedenceGoesByUploadTime() {
    assertThat(newest("1.0.0", "1.0")).isEqualTo("1.0.0");
    assertThat(newest("1.0", "1.0.0")).isEqualTo("1.0");
  }

  @Test
  void nothingHasNoNewest() {
    assertThat(FlakeVersionOrder.newest(List.<String>of(), Function.identity())).isEmpty();
  }

  private static List<String> sorted(final String... uploadedNewestFirst) {
    return FlakeVersionOrder.sorted(List.of(uploadedNewestFirst), Function.identity());
  }

  private static String newest(final String... uploadedNewestFirst) {
    return FlakeVersionOrder.newest(List.of(uploadedNewestFirst), Function.identity()).orElseThrow();
  }
}
