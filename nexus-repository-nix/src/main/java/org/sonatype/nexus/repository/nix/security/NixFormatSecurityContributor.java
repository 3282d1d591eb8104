package org.sonatype.nexus.repository.nix.security;

import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Format;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.security.RepositoryFormatSecurityContributor;

/**
 * Contributes the {@code nx-repository-view-nix-*} and {@code nx-repository-admin-nix-*} privileges.
 */
@Named
@Singleton
public class NixFormatSecurityContributor
    extends RepositoryFormatSecurityContributor
{
  @Inject
  public NixFormatSecurityContributor(@Named(NixFormat.NAME) final Format format) {
    super(format);
  }
}
