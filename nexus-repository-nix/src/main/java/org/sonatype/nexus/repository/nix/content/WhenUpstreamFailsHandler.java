package org.sonatype.nexus.repository.nix.content;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Response;

/**
 * Applies the repository's {@link WhenUpstreamFails} to the answers of a proxy or group. A proxy has it ahead of its
 * negative cache, so a 404 that stands for a failure is never remembered there: the next request asks the upstream
 * again.
 */
@Named
@Singleton
public class WhenUpstreamFailsHandler
    implements Handler
{
  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    return context.getRepository().facet(NixSettingsFacet.class).whenUpstreamFails().answer(context.proceed());
  }
}
