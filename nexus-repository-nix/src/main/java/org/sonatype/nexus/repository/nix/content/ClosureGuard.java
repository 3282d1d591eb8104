package org.sonatype.nexus.repository.nix.content;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps deletions from breaking closures: a store path that other store paths still reference may only go together
 * with them.
 */
public final class ClosureGuard
{
  private ClosureGuard() {
  }

  /**
   * Why deleting these store paths (hash parts) would leave another store path without a reference, or empty if it
   * would not.
   */
  public static Optional<String> whyNotDeletable(final NixContentFacet content, final Set<String> storeHashes) {
    for (String hash : storeHashes) {
      List<String> outside = content.referrers(hash, 4).stream()
          .map(NixAssetPaths::storeHash)
          .filter(referrer -> !storeHashes.contains(referrer))
          .map(referrer -> storePathOf(content, referrer))
          .collect(Collectors.toList());
      if (!outside.isEmpty()) {
        return Optional.of("store path " + storePathOf(content, hash) + " is still referenced by "
            + String.join(", ", outside.subList(0, Math.min(3, outside.size())))
            + (outside.size() > 3 ? " and others" : "") + "; delete those first");
      }
    }
    return Optional.empty();
  }

  /** The store paths (hash parts) and, transitively, every store path in the repository that depends on them. */
  public static Set<String> withDependents(final NixContentFacet content, final Set<String> storeHashes) {
    Set<String> all = new LinkedHashSet<>(storeHashes);
    Deque<String> queue = new ArrayDeque<>(storeHashes);
    while (!queue.isEmpty()) {
      for (String referrer : content.referrers(queue.removeFirst(), Integer.MAX_VALUE)) {
        String hash = NixAssetPaths.storeHash(referrer);
        if (all.add(hash)) {
          queue.addLast(hash);
        }
      }
    }
    return all;
  }

  /** {@code /nix/store/<hash>-<name>} of a stored store path, else its hash part. */
  public static String storePathOf(final NixContentFacet content, final String storeHash) {
    return content.findNarInfo(storeHash)
        .map(stored -> stored.narInfo().storePath().toAbsolute(stored.narInfo().storeDir()))
        .orElse(storeHash);
  }
}
