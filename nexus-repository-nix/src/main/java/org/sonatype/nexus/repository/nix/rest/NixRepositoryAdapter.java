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
import org.sonatype.nexus.repository.types.HostedType;

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
    if (HostedType.NAME.equals(repository.getType().getValue())) {
      return new NixHostedApiRepository(
          repository.getName(),
          repository.getUrl(),
          repository.getConfiguration().isOnline(),
          getHostedStorageAttributes(repository),
          getCleanupPolicyAttributes(repository),
          getComponentAttributes(repository),
          hostedAttributes(repository));
    }
    return super.adapt(repository);
  }

  private static NixHostedAttributes hostedAttributes(final Repository repository) {
    NestedAttributesMap nix = repository.getConfiguration().attributes(NixSettingsFacet.SECTION);
    return new NixHostedAttributes(
        nix.get("storeDir", String.class),
        nix.get("priority", Number.class) != null ? nix.get("priority", Number.class).intValue() : null,
        nix.get("verifyNarHash", Boolean.class),
        nix.get("requireCompleteClosure", Boolean.class));
  }
}
