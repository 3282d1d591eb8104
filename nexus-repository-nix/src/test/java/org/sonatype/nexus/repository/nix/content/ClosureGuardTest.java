package org.sonatype.nexus.repository.nix.content;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deletions never break a closure: a store path that others reference goes only together with them. Store paths
 * here are named by their hash parts; none is stored with a narinfo, so messages name the hash parts.
 */
class ClosureGuardTest
{
  /** Who references whom: b uses a, c uses b; five tools use lib; lone is used by nothing. */
  private static final Map<String, List<String>> REFERRERS = Map.of(
      "a", List.of("b"),
      "b", List.of("c"),
      "c", List.of(),
      "lib", List.of("t1", "t2", "t3", "t4", "t5"),
      "lone", List.of());

  private final NixContentFacet content = (NixContentFacet) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[]{NixContentFacet.class}, (proxy, method, args) -> {
        switch (method.getName()) {
          case "referrers":
            List<String> referrers = REFERRERS.getOrDefault((String) args[0], List.of());
            return referrers.subList(0, Math.min((int) args[1], referrers.size())).stream()
                .map(NixAssetPaths::narInfoPath)
                .collect(Collectors.toList());
          case "findNarInfo":
            return Optional.empty();
          default:
            throw new UnsupportedOperationException(method.getName());
        }
      });

  @Test
  void aStorePathNothingReferencesMayGo() {
    assertThat(ClosureGuard.whyNotDeletable(content, Set.of("lone"))).isEmpty();
  }

  @Test
  void aStorePathOthersReferenceMayNotGoAloneAndTheyAreNamed() {
    assertThat(ClosureGuard.whyNotDeletable(content, Set.of("a")))
        .contains("store path a is still referenced by b; delete those first");
  }

  @Test
  void aStorePathMayGoTogetherWithEveryPathThatReferencesIt() {
    assertThat(ClosureGuard.whyNotDeletable(content, Set.of("a", "b", "c"))).isEmpty();
  }

  @Test
  void leavingOneReferrerBehindIsRefused() {
    assertThat(ClosureGuard.whyNotDeletable(content, Set.of("a", "b")))
        .contains("store path b is still referenced by c; delete those first");
  }

  @Test
  void manyReferrersAreNamedThreeAndOthers() {
    assertThat(ClosureGuard.whyNotDeletable(content, Set.of("lib")))
        .contains("store path lib is still referenced by t1, t2, t3 and others; delete those first");
  }

  @Test
  void theDependentsOfAStorePathAreEveryPathThatReachesItTransitively() {
    assertThat(ClosureGuard.withDependents(content, Set.of("a"))).containsExactly("a", "b", "c");
  }

  @Test
  void aStorePathWithNoNarinfoIsNamedByItsHashPart() {
    assertThat(ClosureGuard.storePathOf(content, "lone")).isEqualTo("lone");
  }
}
