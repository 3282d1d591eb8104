package org.sonatype.nexus.repository.nix.proxy;

import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.cache.NegativeCacheHandler;
import org.sonatype.nexus.repository.nix.http.NixResponses;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.Status;

/**
 * Nexus's negative cache, answering a remembered 404 with the message it had, as plain text: Nexus's own answers
 * it with its HTML error page.
 */
@Named
@Singleton
public class NixNegativeCacheHandler
    extends NegativeCacheHandler
{
  @Override
  protected Response buildResponse(final Status status, final Context context) {
    String message = status.getMessage() != null ? status.getMessage() : context.getRequest().getPath().substring(1)
        + " was not found upstream";
    return NixResponses.failure(status.getCode(), message + " (remembered by this proxy's negative cache)");
  }
}
