package org.sonatype.nexus.repository.nix.rest;

import javax.inject.Inject;
import javax.inject.Named;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.rest.api.SimpleApiRepositoryAdapter;
import org.sonatype.nexus.repository.rest.api.model.AbstractApiRepository;
import org.sonatype.nexus.repository.routing.RoutingRuleStore;
import org.sonatype.nexus.repository.types.GroupType;
import org.sonatype.nexus.repository.types.HostedType;
import org.sonatype.nexus.repository.types.ProxyType;

/**
 * REST representation of Nix repositories, with their {@code nix} block.
 */
@Named(NixFormat.NAME)
public class NixRepositoryAdapter
    extends SimpleApiRepositoryAdapter
{
  @Inject
  public NixRepositoryAdapter(final RoutingRuleStore routingRuleStore) {
    super(routingRuleStore);
  }

  @Override
  public AbstractApiRepository adapt(final Repository repository) {
    NestedAttributesMap nix = repository.getConfiguration().attributes(NixSettingsFacet.SECTION);
    switch (repository.getType().getValue()) {
      case HostedType.NAME:
        return new NixHostedApiRepository(
            repository.getName(),
            repository.getUrl(),
            repository.getConfiguration().isOnline(),
            getHostedStorageAttributes(repository),
            getCleanupPolicyAttributes(repository),
            getComponentAttributes(repository),
            NixHostedAttributes.from(nix));
      case ProxyType.NAME:
        return new NixProxyApiRepository(
            repository.getName(),
            repository.getUrl(),
            repository.getConfiguration().isOnline(),
            getStorageAttributes(repository),
            getCleanupPolicyAttributes(repository),
            getProxyAttributes(repository),
            getNegativeCacheAttributes(repository),
            getHttpClientAttributes(repository),
            getRoutingRuleName(repository),
            getReplicationAttributes(repository),
            NixProxyAttributes.from(nix));
      case GroupType.NAME:
        return new NixGroupApiRepository(
            repository.getName(),
            repository.getUrl(),
            repository.getConfiguration().isOnline(),
            getStorageAttributes(repository),
            getGroupAttributes(repository),
            NixGroupAttributes.from(nix));
      default:
        return super.adapt(repository);
    }
  }
}
