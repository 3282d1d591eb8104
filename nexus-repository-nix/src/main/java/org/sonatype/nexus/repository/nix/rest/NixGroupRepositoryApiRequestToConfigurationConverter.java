package org.sonatype.nexus.repository.nix.rest;

import javax.inject.Named;

import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.rest.GroupRepositoryApiRequestToConfigurationConverter;

/**
 * Stores the {@code nix} block of a group repository request in the configuration's {@code nix} section.
 */
@Named
public class NixGroupRepositoryApiRequestToConfigurationConverter
    extends GroupRepositoryApiRequestToConfigurationConverter<NixGroupRepositoryApiRequest>
{
  @Override
  public Configuration convert(final NixGroupRepositoryApiRequest request) {
    Configuration configuration = super.convert(request);
    request.getNix().applyTo(configuration.attributes(NixSettingsFacet.SECTION));
    return configuration;
  }
}
