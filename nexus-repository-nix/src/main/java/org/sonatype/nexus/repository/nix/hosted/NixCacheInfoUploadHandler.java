package org.sonatype.nexus.repository.nix.hosted;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.nix.content.ContentEncodedUploads;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Response;

/**
 * {@code PUT nix-cache-info} on a hosted repository: Nix sends it to a cache it thinks is new. The file is always
 * synthesised from the settings, so the upload is only checked: a different store dir means the client's store is
 * not this cache's, and is refused.
 */
@Named
@Singleton
public class NixCacheInfoUploadHandler
    implements Handler
{
  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    context.getRepository().facet(NixSettingsFacet.class)
        .checkUploadedCacheInfo(ContentEncodedUploads.decoded(context.getRequest(), null));
    return HttpResponses.ok();
  }
}
