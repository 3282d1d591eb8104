package org.sonatype.nexus.repository.nix.protocol.flakes;

import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A flake's name is its registry id, by Nix's rule {@code [a-zA-Z][a-zA-Z0-9_-]*}; a version is one safe path
 * segment.
 */
class FlakeNamesTest
{
  @Test
  void namesFollowNixsFlakeIdRule() {
    assertThat(FlakeNames.isValidName("mytool")).isTrue();
    assertThat(FlakeNames.isValidName("My_Tool-2")).isTrue();
    assertThat(FlakeNames.isValidName("x")).isTrue();

    assertThat(FlakeNames.isValidName("2tool")).as("starts with a digit").isFalse();
    assertThat(FlakeNames.isValidName("_tool")).isFalse();
    assertThat(FlakeNames.isValidName("my.tool")).as("Nix's ids have no '.'").isFalse();
    assertThat(FlakeNames.isValidName("my/tool")).isFalse();
    assertThat(FlakeNames.isValidName("")).isFalse();
    assertThat(FlakeNames.isValidName(null)).isFalse();
    assertThat(FlakeNames.isValidName("a".repeat(101))).isFalse();
  }

  @Test
  void versionsAreSafePathSegments() {
    assertThat(FlakeNames.isValidVersion("1.0.0")).isTrue();
    assertThat(FlakeNames.isValidVersion("1.0.0-rc.1")).isTrue();
    assertThat(FlakeNames.isValidVersion("2025-01-15")).isTrue();
    assertThat(FlakeNames.isValidVersion("v2_beta")).isTrue();

    assertThat(FlakeNames.isValidVersion("..")).isFalse();
    assertThat(FlakeNames.isValidVersion(".hidden")).isFalse();
    assertThat(FlakeNames.isValidVersion("-1")).isFalse();
    assertThat(FlakeNames.isValidVersion("1.0+build")).isFalse();
    assertThat(FlakeNames.isValidVersion("1/0")).isFalse();
    assertThat(FlakeNames.isValidVersion("1 0")).isFalse();
  }

  @Test
  void refusalsSayWhatIsAllowed() {
    assertThatThrownBy(() -> FlakeNames.checkName("my.tool"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("flake name 'my.tool' is not valid")
        .hasMessageContaining("registry id");
    assertThatThrownBy(() -> FlakeNames.checkVersion(".."))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("flake version '..' is not valid");
  }
}
