package org.sonatype.nexus.repository.nix.protocol.channels;

import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelPath.Kind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The paths nix-channel, fetchTarball and people request under channels/.
 */
class ChannelPathTest
{
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/channels", "/channels/", "//channels//"})
  void theRootListsChannels(final String path) {
    assertThat(ChannelPath.parse(path).kind()).isEqualTo(Kind.CHANNELS);
  }

  @Test
  void aChannelNameIsTheMovingPointer() {
    ChannelPath path = ChannelPath.parse("/channels/team");

    assertThat(path.kind()).isEqualTo(Kind.CHANNEL);
    assertThat(path.channel()).isEqualTo("team");
    assertThat(path.flavor()).isEmpty();
  }

  @Test
  void aChannelAndFlavorIsTheMovingPointerOfThatFlavor() {
    ChannelPath path = ChannelPath.parse("/channels/team/nixos");

    assertThat(path.kind()).isEqualTo(Kind.CHANNEL);
    assertThat(path.flavor()).contains(ChannelFlavor.NIXOS);
  }

  @Test
  void aTrailingSlashAsksForTheListing() {
    assertThat(ChannelPath.parse("/channels/team/").kind()).isEqualTo(Kind.CHANNEL_LISTING);
    assertThat(ChannelPath.parse("/channels/team/nixpkgs/").kind()).isEqualTo(Kind.CHANNEL_LISTING);
    assertThat(ChannelPath.parse("/channels/team/nixpkgs/").flavor()).contains(ChannelFlavor.NIXPKGS);
  }

  @Test
  void theTarballUnderAChannelIsTheMovingTarballPointer() {
    assertThat(ChannelPath.parse("/channels/team/nixexprs.tar.xz").kind()).isEqualTo(Kind.CHANNEL_TARBALL);
    ChannelPath flavored = ChannelPath.parse("/channels/team/nixos/nixexprs.tar.xz");
    assertThat(flavored.kind()).isEqualTo(Kind.CHANNEL_TARBALL);
    assertThat(flavored.flavor()).contains(ChannelFlavor.NIXOS);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/channels/team/nixos/team-1.0", "/channels/team/nixos/team-1.0/",
      "/channels//team/nixos///team-1.0"})
  void threeSegmentsNameASnapshot(final String path) {
    ChannelPath parsed = ChannelPath.parse(path);

    assertThat(parsed.kind()).isEqualTo(Kind.SNAPSHOT);
    assertThat(parsed.snapshot()).isEqualTo(ChannelSnapshot.of("team", ChannelFlavor.NIXOS, "team-1.0"));
  }

  @Test
  void aSnapshotsTarballIsRequestedAfterADoubleSlashToo() {
    // nix-channel appends "/nixexprs.tar.xz" to a redirect target that ends in "/"
    ChannelPath parsed = ChannelPath.parse("/channels/team/nixos/team-1.0//nixexprs.tar.xz");

    assertThat(parsed.kind()).isEqualTo(Kind.SNAPSHOT_TARBALL);
    assertThat(parsed.snapshot().tarballPath()).isEqualTo("/channels/team/nixos/team-1.0/nixexprs.tar.xz");
  }

  @Test
  void anUnknownFlavorIsRefusedNamingIt() {
    assertThatThrownBy(() -> ChannelPath.parse("/channels/team/darwin/team-1.0"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("'darwin' is not a flavor");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/channels/team/nixos/team-1.0/default.nix", "/channels/team/nixos/team-1.0/a/b",
      "/channels/team/nixos/team-1.0/nixexprs.tar.xz/", "/channels/team/nixexprs.tar.xz/"})
  void nothingButTheTarballLivesInASnapshot(final String path) {
    assertThatThrownBy(() -> ChannelPath.parse(path)).isInstanceOf(NixFormatException.class);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/channels/../x", "/channels/.hidden", "/channels/team/nixos/..",
      "/channels/team/nixos/.", "/channels/a b", "/channels/team/nixos/x%2F..%2Fy"})
  void traversalAndInvalidNamesAreRefused(final String path) {
    assertThatThrownBy(() -> ChannelPath.parse(path)).isInstanceOf(NixFormatException.class);
  }

  @Test
  void onlyPathsUnderChannelsAreChannelPaths() {
    assertThat(ChannelPath.isChannelPath("/channels")).isTrue();
    assertThat(ChannelPath.isChannelPath("//channels/x")).isTrue();
    assertThat(ChannelPath.isChannelPath("/channelsx")).isFalse();
    assertThat(ChannelPath.isChannelPath("/nar/x.nar")).isFalse();
  }
}
