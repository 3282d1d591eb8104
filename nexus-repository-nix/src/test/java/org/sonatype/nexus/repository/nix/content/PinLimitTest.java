package org.sonatype.nexus.repository.nix.content;

import java.util.Set;
import java.util.TreeSet;

import org.sonatype.nexus.repository.nix.protocol.NixBase32;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A repository has at most {@link NixContentFacetImpl#MAX_PINS} pins: what cleanup walks stays bounded.
 */
class PinLimitTest
{
  private static String hash(final int i) {
    StringBuilder hash = new StringBuilder();
    int n = i;
    for (int d = 0; d < 32; d++) {
      hash.append(NixBase32.ALPHABET.charAt(n % 32));
      n /= 32;
    }
    return hash.toString();
  }

  @Test
  void aRepositoryHasAtMostAThousandPins() {
    Set<String> pins = new TreeSet<>();
    for (int i = 0; i < NixContentFacetImpl.MAX_PINS; i++) {
      pins = NixContentFacetImpl.withPin(pins, hash(10_000 + i));
    }
    Set<String> full = pins;

    assertThat(full).hasSize(1000);
    assertThat(NixContentFacetImpl.withPin(full, hash(10_000))).isSameAs(full);
    assertThatThrownBy(() -> NixContentFacetImpl.withPin(full, hash(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already has 1000 pins");
  }
}
