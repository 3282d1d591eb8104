package org.sonatype.nexus.repository.nix.protocol.channels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelFlavorTest
{
  @Test
  void flavorsAreNamedByTheirUrlSegment() {
    assertThat(ChannelFlavor.fromSegment("nixos")).isEqualTo(ChannelFlavor.NIXOS);
    assertThat(ChannelFlavor.fromSegment("nixpkgs")).isEqualTo(ChannelFlavor.NIXPKGS);
    assertThat(ChannelFlavor.NIXOS.segment()).isEqualTo("nixos");
  }

  @Test
  void anyOtherSegmentIsNotAFlavor() {
    assertThat(ChannelFlavor.isFlavor("NixOS")).isFalse();
    assertThatThrownBy(() -> ChannelFlavor.fromSegment("darwin"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("flavor 'darwin' is not valid");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "/nixos/23.11/nixos-23.11.7870.205fd4226592, NIXOS",
      "/nixos/unstable/nixos-24.05pre588218.5bd3bb6d0b3b, NIXOS",
      "/nixpkgs/nixpkgs-24.05pre588218.5bd3bb6d0b3b, NIXPKGS",
      "/releases/nixos/99.99/nixos-99.99.123.abcdef0, NIXOS",
      "/releases/nixpkgs/nixpkgs-99.99.1.abc/, NIXPKGS",
      "/mirror/nixos-24.11.1.abc, NIXPKGS",
      "/team/stable/team-1.2, NIXPKGS"
  })
  void theFlavorOfAReleaseIsTheFirstDirectoryNamedAfterOne(final String path, final ChannelFlavor flavor) {
    assertThat(ChannelFlavor.ofReleasePath(path)).isEqualTo(flavor);
  }
}
