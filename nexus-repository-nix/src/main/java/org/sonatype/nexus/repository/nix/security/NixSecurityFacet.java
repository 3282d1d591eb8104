package org.sonatype.nexus.repository.nix.security;

import javax.inject.Inject;
import javax.inject.Named;

import org.sonatype.nexus.repository.security.ContentPermissionChecker;
import org.sonatype.nexus.repository.security.SecurityFacetSupport;
import org.sonatype.nexus.repository.security.VariableResolverAdapter;

/**
 * Maps requests to repository-view privileges (read to substitute, add/edit to push, delete to delete)
 * and content selectors, on the request path.
 */
@Named
public class NixSecurityFacet
    extends SecurityFacetSupport
{
  @Inject
  public NixSecurityFacet(
      final NixFormatSecurityContributor securityContributor,
      @Named("simple") final VariableResolverAdapter variableResolverAdapter,
      final ContentPermissionChecker contentPermissionChecker)
  {
    super(securityContributor, variableResolverAdapter, contentPermissionChecker);
  }
}
