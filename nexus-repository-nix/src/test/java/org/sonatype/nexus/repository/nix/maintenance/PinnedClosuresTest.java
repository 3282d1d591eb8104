package org.sonatype.nexus.repository.nix.maintenance;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixContentFacetImpl;
import org.sonatype.nexus.repository.nix.content.StoredNarInfo;
import org.sonatype.nexus.repository.nix.protocol.NixBase32;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What pins cost: cleanup walks the pinned closures once, whatever the number of pins (a repository has at most
 * {@link NixContentFacetImpl#MAX_PINS} of them: {@code PinLimitTest}).
 */
class PinnedClosuresTest
{
  /** A chain of store paths, each referencing the next: pinning path i keeps i..end. */
  private static final int PATHS = 300;

  private final List<String> hashes = new ArrayList<>();

  private final Map<String, NarInfo> narInfos = new HashMap<>();

  private final AtomicInteger lookups = new AtomicInteger();

  PinnedClosuresTest() {
    for (int i = 0; i < PATHS; i++) {
      hashes.add(hash(i));
    }
    for (int i = 0; i < PATHS; i++) {
      String references = i + 1 < PATHS ? hashes.get(i + 1) + "-p" + (i + 1) : "";
      narInfos.put(hashes.get(i), NarInfo.parse("StorePath: /nix/store/" + hashes.get(i) + "-p" + i + "\n"
          + "URL: nar/x" + i + ".nar\nCompression: none\n"
          + "NarHash: sha256:" + "1".repeat(52) + "\nNarSize: 1\n"
          + "References: " + references + "\n", "/nix/store"));
    }
  }

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
  void cleanupWalksThePinnedClosuresOnceHoweverManyPinsShareThem() {
    Set<String> pins = new TreeSet<>(hashes.subList(0, 200));
    Set<String> candidates = new LinkedHashSet<>(hashes);

    Map<String, String> kept = NixMaintenanceFacet.keptCandidates(content(pins), candidates);

    assertThat(kept).hasSize(PATHS);
    // before, each pin's closure was walked on its own: about 200 × 200 lookups
    assertThat(lookups.get()).isLessThan(4 * PATHS);
  }

  /** The repository: the chain, these pins, no referrers outside the candidates. */
  private NixContentFacet content(final Set<String> pins) {
    FluentAsset asset = (FluentAsset) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[]{FluentAsset.class}, (proxy, method, args) -> null);
    return (NixContentFacet) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{NixContentFacet.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "pins":
              return pins;
            case "findNarInfo":
              lookups.incrementAndGet();
              NarInfo narInfo = narInfos.get((String) args[0]);
              return narInfo == null ? Optional.empty() : Optional.of(new StoredNarInfo(asset, narInfo));
            case "referrers":
              return List.of();
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }
}
