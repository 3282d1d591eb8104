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
import org.sonatype.nexus.repository.group.GroupFacet;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.channels.NixChannelsGroupFacet;
import org.sonatype.nexus.repository.nix.flakes.NixFlakesGroupFacet;
import org.sonatype.nexus.repository.nix.content.WhenUpstreamFailsHandler;
import org.sonatype.nexus.repository.nix.group.NixGroupFacet;
import org.sonatype.nexus.repository.nix.group.NixGroupHandler;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.types.GroupType;

/**
 * {@code nix-group}: one substituter URL over hosted, proxy and group members, that can also take pushes.
 */
@AvailabilityVersion(from = "1.0")
@Named(NixGroupRecipe.NAME)
@Singleton
public class NixGroupRecipe
    extends NixRecipeSupport
{
  public static final String NAME = "nix-group";

  @Inject
  Provider<GroupFacet> groupFacet;

  @Inject
  Provider<NixGroupFacet> nixGroupFacet;

  @Inject
  NixGroupHandler groupHandler;

  @Inject
  WhenUpstreamFailsHandler whenUpstreamFailsHandler;

  @Inject
  Provider<NixSigningFacet> signingFacet;

  @Inject
  Provider<NixChannelsGroupFacet> channelsFacet;

  @Inject
  Provider<NixFlakesGroupFacet> flakesFacet;

  @Inject
  public NixGroupRecipe(@Named(GroupType.NAME) final Type type, @Named(NixFormat.NAME) final Format format) {
    super(type, format);
  }

  @Override
  public void apply(@Nonnull final Repository repository) throws Exception {
    repository.attach(securityFacet.get());
    repository.attach(configure(viewFacet.get(), groupHandler, whenUpstreamFailsHandler, groupHandler));
    repository.attach(settingsFacet.get());
    repository.attach(groupFacet.get());
    repository.attach(nixGroupFacet.get());
    repository.attach(signingFacet.get());
    repository.attach(contentFacet.get());
    repository.attach(browseFacet.get());
    repository.attach(channelsFacet.get());
    repository.attach(flakesFacet.get());
  }
}
