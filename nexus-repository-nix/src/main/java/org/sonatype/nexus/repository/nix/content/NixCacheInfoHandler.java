package org.sonatype.nexus.repository.nix.content;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.payloads.StringPayload;

import static org.sonatype.nexus.repository.http.HttpMethods.GET;
import static org.sonatype.nexus.repository.http.HttpMethods.HEAD;
import static org.sonatype.nexus.repository.http.HttpMethods.PUT;

/**
 * {@code nix-cache-info}, the file without which Nix does not use a cache at all. Every repository type
 * synthesises it from its settings. The PUT Nix sends to a cache it thinks is new goes on to the next handler of
 * the route, which a repository that takes uploads provides.
 */
@Named
@Singleton
public class NixCacheInfoHandler
    implements Handler
{
  public static final String PATH = "/nix-cache-info";

  public static final String CONTENT_TYPE = "text/x-nix-cache-info";

  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    String method = context.getRequest().getAction();
    switch (method) {
      case GET:
      case HEAD:
        String text = context.getRepository().facet(NixSettingsFacet.class).cacheInfo().toText();
        return HttpResponses.ok(new StringPayload(text, CONTENT_TYPE));
      case PUT:
        // whoever may take uploads (hosted; a group with a writable member) handles it further down the route
        return context.proceed();
      default:
        return HttpResponses.methodNotAllowed(method, GET, HEAD, PUT);
    }
  }
}
