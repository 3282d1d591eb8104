package org.sonatype.nexus.repository.nix.protocol.channels;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelSnapshotTest
{
  @Test
  void aSnapshotLivesUnderItsChannelAndFlavor() {
    ChannelSnapshot snapshot = ChannelSnapshot.of("team", ChannelFlavor.NIXPKGS, "team-1.0");

    assertThat(snapshot.path()).isEqualTo("/channels/team/nixpkgs/team-1.0");
    assertThat(snapshot.tarballPath()).isEqualTo("/channels/team/nixpkgs/team-1.0/nixexprs.tar.xz");
    assertThat(snapshot).hasToString("team/nixpkgs/team-1.0");
  }

  @Test
  void aTarballPathNamesItsSnapshot() {
    assertThat(ChannelSnapshot.fromTarballPath("/channels/team/nixos/team-1.0/nixexprs.tar.xz"))
        .contains(ChannelSnapshot.of("team", ChannelFlavor.NIXOS, "team-1.0"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/channels/team/nixos/team-1.0", "/channels/team/other/team-1.0/nixexprs.tar.xz",
      "/channels/team/nixos/.x/nixexprs.tar.xz", "/channels/team/nixos/a/b/nixexprs.tar.xz",
      "/nar/x.nar", "/channels/team/nixos/team-1.0/nixexprs.tar.bz2"})
  void otherPathsAreNoTarballPaths(final String path) {
    assertThat(ChannelSnapshot.fromTarballPath(path)).isEmpty();
  }

  @Test
  void snapshotsWithInvalidNamesCannotBeMade() {
    assertThatThrownBy(() -> ChannelSnapshot.of("team", ChannelFlavor.NIXOS, ".."))
        .isInstanceOf(NixFormatException.class);
    assertThatThrownBy(() -> ChannelSnapshot.of("a/b", ChannelFlavor.NIXOS, "x"))
        .isInstanceOf(NixFormatException.class);
  }

  @Test
  void anUpstreamReleaseIsASnapshotNamedAfterItsDirectory() {
    ChannelSnapshot snapshot = ChannelSnapshot.ofRelease("nixos-23.11",
        URI.create("https://releases.nixos.org/nixos/23.11/nixos-23.11.7870.205fd4226592"));

    assertThat(snapshot).isEqualTo(ChannelSnapshot.of("nixos-23.11", ChannelFlavor.NIXOS,
        "nixos-23.11.7870.205fd4226592"));
  }

  @Test
  void aReleaseUrlWithATrailingSlashNamesTheSameSnapshot() {
    assertThat(ChannelSnapshot.ofRelease("nixpkgs-unstable",
        URI.create("https://releases.nixos.org/nixpkgs/nixpkgs-24.05pre1.abc/")).name())
        .isEqualTo("nixpkgs-24.05pre1.abc");
  }

  @Test
  void aReleaseWhoseDirectoryIsNoSnapshotNameIsRefused() {
    assertThatThrownBy(() -> ChannelSnapshot.ofRelease("c", URI.create("https://example.org/")))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("cannot be served as a snapshot");
  }
}
