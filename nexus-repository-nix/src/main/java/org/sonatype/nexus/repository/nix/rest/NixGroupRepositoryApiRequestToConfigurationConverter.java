package org.sonatype.nexus.repository.nix.rest;

import javax.inject.Inject;
import javax.inject.Named;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.rest.GroupRepositoryApiRequestToConfigurationConverter;

/**
 * Stores the {@code nix} block (with its signing key, see {@link NixSigningRequests}) of a group repository request in the configuration's {@code nix} section.
 */
@Named
public class NixGroupRepositoryApiRequestToConfigurationConverter
    extends GroupRepositoryApiRequestToConfigurationConverter<NixGroupRepositoryApiRequest>
{
  private final NixSigningRequests signingRequests;

  @Inject
  public NixGroupRepositoryApiRequestToConfigurationConverter(final NixSigningRequests signingRequests) {
    this.signingRequests = signingRequests;
  }

  @Override
  public Configuration convert(final NixGroupRepositoryApiRequest request) {
    Configuration configuration = super.convert(request);
    NestedAttributesMap nix = configuration.attributes(NixSettingsFacet.SECTION);
    request.getNix().applyTo(nix);
    signingRequests.applyTo(request.getNix().getSigning(), request.getName(), nix);
    return configuration;
  }
}
