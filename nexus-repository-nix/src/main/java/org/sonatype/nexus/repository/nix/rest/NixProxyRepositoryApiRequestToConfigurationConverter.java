package org.sonatype.nexus.repository.nix.rest;

import javax.inject.Inject;
import javax.inject.Named;

import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.rest.api.ProxyRepositoryApiRequestToConfigurationConverter;
import org.sonatype.nexus.repository.routing.RoutingRuleStore;

/**
 * Stores the {@code nix} block of a proxy repository request in the configuration's {@code nix} section.
 */
@Named
public class NixProxyRepositoryApiRequestToConfigurationConverter
    extends ProxyRepositoryApiRequestToConfigurationConverter<NixProxyRepositoryApiRequest>
{
  @Inject
  public NixProxyRepositoryApiRequestToConfigurationConverter(final RoutingRuleStore routingRuleStore) {
    super(routingRuleStore);
  }

  @Override
  public Configuration convert(final NixProxyRepositoryApiRequest request) {
    Configuration configuration = super.convert(request);
    request.getNix().applyTo(configuration.attributes(NixSettingsFacet.SECTION));
    return configuration;
  }
}
