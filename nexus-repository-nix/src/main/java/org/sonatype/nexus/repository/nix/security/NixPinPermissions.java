package org.sonatype.nexus.repository.nix.security;

import java.util.List;

import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.security.RepositoryAdminPermission;

import org.apache.shiro.authz.Permission;
import org.apache.shiro.authz.permission.WildcardPermission;

/**
 * Who may pin and unpin: a pin is a retention decision that outlives whoever made it (cleanup keeps the pinned
 * closure), so pushing (the repository's view {@code edit}) is not enough. Either the repository's administration
 * ({@code nx-repository-admin-nix-<repository>-edit}, what cleanup policies need), or a privilege for pins alone: a
 * wildcard privilege {@code nexus:nix-pins:<repository>:create} to pin and {@code ...:delete} to unpin (e.g. for
 * a CI job that pins each release, and nothing more). Listing pins needs only the view {@code read}.
 */
public final class NixPinPermissions
{
  /** The domain of the pins privilege: {@code nexus:nix-pins:<repository>:<action>}. */
  public static final String DOMAIN = "nix-pins";

  public static final String PIN = "create";

  public static final String UNPIN = "delete";

  private NixPinPermissions() {
  }

  /** Any one of these lets a user pin ({@link #PIN}) or unpin ({@link #UNPIN}) in {@code repository}. */
  public static Permission[] anyOf(final String repository, final String action) {
    return new Permission[]{
        new WildcardPermission("nexus:" + DOMAIN + ":" + repository + ":" + action),
        new RepositoryAdminPermission(NixFormat.NAME, repository, List.of("edit"))
    };
  }
}
