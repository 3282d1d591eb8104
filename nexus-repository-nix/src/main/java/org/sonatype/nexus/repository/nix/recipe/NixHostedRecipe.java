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
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.channels.NixChannelsHostedFacet;
import org.sonatype.nexus.repository.nix.flakes.NixFlakesHostedFacet;
import org.sonatype.nexus.repository.nix.hosted.NixCacheInfoUploadHandler;
import org.sonatype.nexus.repository.nix.hosted.NixHostedFacet;
import org.sonatype.nexus.repository.nix.hosted.NixHostedHandler;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.types.HostedType;

/**
 * {@code nix-hosted}: a binary cache that {@code nix copy --to} pushes to and Nix substitutes from.
 */
@AvailabilityVersion(from = "1.0")
@Named(NixHostedRecipe.NAME)
@Singleton
public class NixHostedRecipe
    extends NixRecipeSupport
{
  public static final String NAME = "nix-hosted";

  @Inject
  Provider<NixHostedFacet> hostedFacet;

  @Inject
  NixHostedHandler hostedHandler;

  @Inject
  NixCacheInfoUploadHandler cacheInfoUploadHandler;

  @Inject
  Provider<NixSigningFacet> signingFacet;

  @Inject
  Provider<NixChannelsHostedFacet> channelsFacet;

  @Inject
  Provider<NixFlakesHostedFacet> flakesFacet;

  @Inject
  public NixHostedRecipe(@Named(HostedType.NAME) final Type type, @Named(NixFormat.NAME) final Format format) {
    super(type, format);
  }

  @Override
  public void apply(@Nonnull final Repository repository) throws Exception {
    repository.attach(securityFacet.get());
    repository.attach(configure(viewFacet.get(), cacheInfoUploadHandler, hostedHandler));
    repository.attach(settingsFacet.get());
    repository.attach(contentFacet.get());
    repository.attach(hostedFacet.get());
    repository.attach(signingFacet.get());
    repository.attach(maintenanceFacet.get());
    repository.attach(searchFacet.get());
    repository.attach(browseFacet.get());
    repository.attach(channelsFacet.get());
    repository.attach(flakesFacet.get());
  }
}
