package org.sonatype.nexus.repository.nix.channels;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.sonatype.nexus.repository.nix.channels.ChannelPointer.Release;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A proxy's pointer to an upstream channel remembers the releases it pointed at, newest first.
 */
class ChannelPointerTest
{
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void theFirstReleaseIsCurrent() {
    ChannelPointer pointer = ChannelPointer.first(release("nixos-99.99.1.aaa"));

    assertThat(pointer.channel()).isEqualTo("nixos-99.99");
    assertThat(pointer.current().snapshot().name()).isEqualTo("nixos-99.99.1.aaa");
  }

  @Test
  void aNewReleaseBecomesCurrentAndTheOldOneIsRemembered() {
    ChannelPointer pointer = ChannelPointer.first(release("nixos-99.99.1.aaa"))
        .resolvedTo(release("nixos-99.99.2.bbb"));

    assertThat(names(pointer)).containsExactly("nixos-99.99.2.bbb", "nixos-99.99.1.aaa");
    assertThat(pointer.find(snapshot("nixos-99.99.1.aaa"))).isPresent();
  }

  @Test
  void aReleaseSeenBeforeMovesToTheFrontOnce() {
    ChannelPointer pointer = ChannelPointer.first(release("a1"))
        .resolvedTo(release("a2"))
        .resolvedTo(release("a1"));

    assertThat(names(pointer)).containsExactly("a1", "a2");
  }

  @Test
  void onlyTheNewestReleasesAreRemembered() {
    ChannelPointer pointer = ChannelPointer.first(release("r0"));
    for (int i = 1; i <= ChannelPointer.HISTORY + 5; i++) {
      pointer = pointer.resolvedTo(release("r" + i));
    }

    assertThat(pointer.releases()).hasSize(ChannelPointer.HISTORY);
    assertThat(pointer.current().snapshot().name()).isEqualTo("r" + (ChannelPointer.HISTORY + 5));
  }

  @Test
  void aPointerSurvivesItsAttributes() {
    ChannelPointer pointer = ChannelPointer.first(release("nixos-99.99.1.aaa"))
        .resolvedTo(release("nixos-99.99.2.b"));

    ChannelPointer read = ChannelPointer.fromAttributes(pointer.toAttributes()).orElseThrow();

    assertThat(names(read)).containsExactly("nixos-99.99.2.b", "nixos-99.99.1.aaa");
    assertThat(read.current().url()).isEqualTo(URI.create("https://releases.example/nixos/99.99/nixos-99.99.2.b"));
    assertThat(read.current().resolved()).isEqualTo(NOW);
    assertThat(read.current().snapshot().flavor()).isEqualTo(ChannelFlavor.NIXOS);
  }

  @Test
  void entriesThatNoLongerParseAreSkipped() {
    Map<String, Object> attributes = new HashMap<>(ChannelPointer.first(release("good")).toAttributes());
    List<Object> releases = new ArrayList<>((List<?>) attributes.get("releases"));
    releases.add(0, Map.of("snapshot", "..", "flavor", "nixos", "releaseUrl", "x", "resolved", NOW.toString()));
    attributes.put("releases", releases);

    assertThat(names(ChannelPointer.fromAttributes(attributes).orElseThrow())).containsExactly("good");
  }

  @Test
  void attributesWithoutReleasesAreNoPointer() {
    assertThat(ChannelPointer.fromAttributes(Map.of("channel", "x"))).isEmpty();
  }

  @Test
  void theTarballLivesInTheReleaseDirectory() {
    assertThat(release("nixos-99.99.1.aaa").tarballUrl())
        .isEqualTo(URI.create("https://releases.example/nixos/99.99/nixos-99.99.1.aaa/nixexprs.tar.xz"));
  }

  private static Release release(final String name) {
    return new Release(snapshot(name), URI.create("https://releases.example/nixos/99.99/" + name), NOW);
  }

  private static ChannelSnapshot snapshot(final String name) {
    return ChannelSnapshot.of("nixos-99.99", ChannelFlavor.NIXOS, name);
  }

  private static List<String> names(final ChannelPointer pointer) {
    return pointer.releases().stream().map(release -> release.snapshot().name()).collect(Collectors.toList());
  }
}
