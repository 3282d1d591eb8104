package org.sonatype.nexus.repository.nix.recipe;

import javax.annotation.Nonnull;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Provider;
import javax.inject.Singleton;

import org.sonatype.nexus.common.upgrade.AvailabilityVersion;
import org.sonatype.nexus.repository.Format;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.Type;
import org.sonatype.nexus.repository.cache.NegativeCacheFacet;
import org.sonatype.nexus.repository.httpclient.HttpClientFacet;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.channels.NixChannelsProxyFacet;
import org.sonatype.nexus.repository.nix.flakes.NixFlakesProxyFacet;
import org.sonatype.nexus.repository.nix.content.WhenUpstreamFailsHandler;
import org.sonatype.nexus.repository.nix.proxy.NixNegativeCacheHandler;
import org.sonatype.nexus.repository.nix.proxy.NixProxyFacet;
import org.sonatype.nexus.repository.nix.proxy.NixProxyHandler;
import org.sonatype.nexus.repository.nix.proxy.NixUpstreamGateFacet;
import org.sonatype.nexus.repository.purge.PurgeUnusedFacet;
import org.sonatype.nexus.repository.routing.RoutingRuleHandler;
import org.sonatype.nexus.repository.types.ProxyType;
import org.sonatype.nexus.repository.view.Handler;

/**
 * {@code nix-proxy}: a caching pull-through of an upstream binary cache (cache.nixos.org by default).
 */
@AvailabilityVersion(from = "1.0")
@Named(NixProxyRecipe.NAME)
@Singleton
public class NixProxyRecipe
    extends NixRecipeSupport
{
  public static final String NAME = "nix-proxy";

  @Inject
  Provider<HttpClientFacet> httpClientFacet;

  @Inject
  Provider<NegativeCacheFacet> negativeCacheFacet;

  @Inject
  Provider<NixUpstreamGateFacet> upstreamGateFacet;

  @Inject
  Provider<NixProxyFacet> proxyFacet;

  @Inject
  Provider<PurgeUnusedFacet> purgeUnusedFacet;

  @Inject
  RoutingRuleHandler routingRuleHandler;

  @Inject
  NixNegativeCacheHandler negativeCacheHandler;

  @Inject
  NixProxyHandler proxyHandler;

  @Inject
  WhenUpstreamFailsHandler whenUpstreamFailsHandler;

  @Inject
  Provider<NixChannelsProxyFacet> channelsFacet;

  @Inject
  Provider<NixFlakesProxyFacet> flakesFacet;

  @Inject
  public NixProxyRecipe(@Named(ProxyType.NAME) final Type type, @Named(NixFormat.NAME) final Format format) {
    super(type, format);
  }

  @Override
  public void apply(@Nonnull final Repository repository) throws Exception {
    repository.attach(securityFacet.get());
    // Nexus injects routing rules through a bridge interface; its implementation is a view handler
    Handler routingRules = (Handler) routingRuleHandler;
    // nix.whenUpstreamFails ahead of the negative cache: a 404 that stands for a failure is not remembered
    repository.attach(configure(viewFacet.get(), null, routingRules, whenUpstreamFailsHandler, negativeCacheHandler,
        proxyHandler));
    repository.attach(settingsFacet.get());
    repository.attach(httpClientFacet.get());
    repository.attach(upstreamGateFacet.get());
    repository.attach(negativeCacheFacet.get());
    repository.attach(proxyFacet.get());
    repository.attach(contentFacet.get());
    repository.attach(maintenanceFacet.get());
    repository.attach(searchFacet.get());
    repository.attach(browseFacet.get());
    repository.attach(channelsFacet.get());
    repository.attach(flakesFacet.get());
    repository.attach(purgeUnusedFacet.get());
  }
}
