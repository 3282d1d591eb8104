package org.sonatype.nexus.repository.nix.content;

/**
 * A delete refused because a store path that stays references one being deleted (see {@link ClosureGuard}); nothing
 * was deleted. Each caller says what the user can do instead.
 */
public class ReferencedStorePathException
    extends RuntimeException
{
  public ReferencedStorePathException(final String reason) {
    super(reason);
  }
}
