package org.sonatype.nexus.repository.nix.content;

import java.util.Optional;

import javax.annotation.Nonnull;

import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Matcher;

/**
 * Matches the binary-cache routes ({@code <hash>.narinfo}, {@code nar/...}, {@code log/...}, ...) and records
 * which {@link NixAssetKind} the request names, for the handlers and facets further down the chain.
 */
public class NixAssetKindMatcher
    implements Matcher
{
  /** No file name Nix writes comes near this; file systems and blob stores stop at it. */
  private static final int MAX_SEGMENT_LENGTH = 255;

  @Override
  public boolean matches(@Nonnull final Context context) {
    String path = context.getRequest().getPath();
    if (hasOverlongSegment(path)) {
      return false;
    }
    Optional<NixAssetKind> kind = NixAssetKind.forPath(path);
    kind.ifPresent(k -> context.getAttributes().set(NixAssetKind.class, k));
    return kind.isPresent();
  }

  private static boolean hasOverlongSegment(final String path) {
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (i - start > MAX_SEGMENT_LENGTH) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  public static NixAssetKind assetKind(final Context context) {
    return context.getAttributes().require(NixAssetKind.class);
  }
}
