package org.sonatype.nexus.repository.nix.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Channel and snapshot names follow nix-channel's rule for channel identifiers.
 */
class ChannelNamesTest
{
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nixos-24.11", "nixpkgs-unstable", "my_team", "_private", "0day", "a", "A.B-c_d",
      "nixos-23.11.7870.205fd4226592"})
  void namesNixChannelAcceptsAreValid(final String name) {
    assertThat(ChannelNames.isValidChannel(name)).isTrue();
    assertThat(ChannelNames.isValidSnapshot(name)).isTrue();
  }

  @ParameterizedTest(name = "[{0}]")
  @NullAndEmptySource
  @ValueSource(strings = {".", "..", ".hidden", "-dash", "a/b", "a b", "a\\b", "caf\u00e9", "a\nb", "a:b", "a%2fb",
      "a?b", "a+b"})
  void namesNixChannelRefusesAreInvalid(final String name) {
    assertThat(ChannelNames.isValidChannel(name)).isFalse();
    assertThat(ChannelNames.isValidSnapshot(name)).isFalse();
  }

  @Test
  void namesLongerThan200CharactersAreInvalid() {
    assertThat(ChannelNames.isValidChannel("a".repeat(200))).isTrue();
    assertThat(ChannelNames.isValidChannel("a".repeat(201))).isFalse();
  }

  @Test
  void theTarballsNamesAreReservedForSnapshotsButNotForChannels() {
    assertThat(ChannelNames.isValidSnapshot("nixexprs.tar.xz")).isFalse();
    assertThat(ChannelNames.isValidSnapshot("nixexprs.tar.bz2")).isFalse();
    assertThat(ChannelNames.isValidChannel("nixexprs.tar.xz")).isTrue();
  }

  @Test
  void checkingAnInvalidChannelNameSaysWhichNameAndTheRule() {
    assertThatThrownBy(() -> ChannelNames.checkChannel("bad name"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("channel name 'bad name' is not valid")
        .hasMessageContaining("nix-channel's rule");
  }

  @Test
  void checkingAReservedSnapshotNameSaysItIsReserved() {
    assertThatThrownBy(() -> ChannelNames.checkSnapshot("nixexprs.tar.xz"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("snapshot name 'nixexprs.tar.xz' is reserved");
  }

  @Test
  void messagesEscapeControlCharacters() {
    assertThatThrownBy(() -> ChannelNames.checkSnapshot("a\nb"))
        .hasMessageContaining("'a\\u000ab'");
  }
}
