package org.sonatype.nexus.repository.nix.flakes;

import javax.annotation.Nonnull;

import org.sonatype.nexus.repository.nix.protocol.flakes.FlakePath;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Matcher;

/**
 * Matches {@code flake-registry.json} and everything under {@code flakes/}. Which flake resource the path names is
 * {@link NixFlakesHandler}'s business, after security: a malformed path is a 404 for a read and a 400 for a write.
 */
public class FlakePathMatcher
    implements Matcher
{
  @Override
  public boolean matches(@Nonnull final Context context) {
    return FlakePath.isFlakePath(context.getRequest().getPath());
  }
}
