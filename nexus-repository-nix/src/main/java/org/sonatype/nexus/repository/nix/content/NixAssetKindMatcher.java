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
  @Override
  public boolean matches(@Nonnull final Context context) {
    Optional<NixAssetKind> kind = NixAssetKind.forPath(context.getRequest().getPath());
    kind.ifPresent(k -> context.getAttributes().set(NixAssetKind.class, k));
    return kind.isPresent();
  }

  public static NixAssetKind assetKind(final Context context) {
    return context.getAttributes().require(NixAssetKind.class);
  }
}
