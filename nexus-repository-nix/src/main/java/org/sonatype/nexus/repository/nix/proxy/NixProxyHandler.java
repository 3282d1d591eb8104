package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.common.cooperation2.CooperationException;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.httpclient.HttpClientFacet;
import org.sonatype.nexus.repository.httpclient.RemoteBlockedIOException;
import org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetKindMatcher;
import org.sonatype.nexus.repository.nix.content.NixResponses;
import org.sonatype.nexus.repository.proxy.ProxyServiceException;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Response;

import org.apache.http.StatusLine;

import static org.sonatype.nexus.repository.http.HttpMethods.GET;
import static org.sonatype.nexus.repository.http.HttpMethods.HEAD;

/**
 * Serves a proxy repository's files, and decides what a client sees when the upstream cannot help.
 *
 * Nix caches a 404 for an hour, so a 404 here means only "the upstream does not have it" (its 404, 410 or 403) or
 * "an administrator blocked the remote" (offline mode: only the cache exists). Everything else that goes wrong
 * upstream (errors, timeouts, refused connections, an auto-blocked remote, a corrupt answer) is a 5xx, which Nix
 * retries and does not remember; a cached copy, when there is one, is served instead.
 */
@Named
@Singleton
public class NixProxyHandler
    extends ComponentSupport
    implements Handler
{
  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    String method = context.getRequest().getAction();
    if (!GET.equals(method) && !HEAD.equals(method)) {
      return HttpResponses.methodNotAllowed(method, GET, HEAD);
    }
    String path = context.getRequest().getPath();
    NixProxyFacet proxy = context.getRepository().facet(NixProxyFacet.class);
    try {
      Content content = NixAssetKindMatcher.assetKind(context) == NixAssetKind.NAR
          ? proxy.getNar(context, HEAD.equals(method))
          : proxy.get(context);
      if (content == null) {
        return NixResponses.notFound(path.substring(1) + " is not in the upstream cache " + proxy.getRemoteUrl());
      }
      return HttpResponses.ok(content);
    }
    catch (ProxyServiceException e) {
      StatusLine status = e.getHttpResponse().getStatusLine();
      return upstreamFailure(context, 502, "the upstream answered " + status.getStatusCode() + " "
          + status.getReasonPhrase());
    }
    catch (RemoteBlockedIOException e) {
      if (blockedByConfiguration(context)) {
        // an administrator's decision (offline mode), not a failure: only what is cached exists here
        return NixResponses.notFound(path.substring(1) + " is not cached, and this proxy's remote is blocked by "
            + "configuration (offline mode)");
      }
      return upstreamFailure(context, 503, "the upstream is blocked (" + e.getMessage() + ")");
    }
    catch (CooperationException e) {
      return upstreamFailure(context, 503, "too many requests waiting for the same upstream fetch");
    }
    catch (RefusedUpstreamUrlException e) {
      return upstreamFailure(context, 502, e.getMessage());
    }
    catch (InterruptedIOException e) {
      return upstreamFailure(context, 504, "the upstream did not answer in time (" + e.getMessage() + ")");
    }
    catch (IOException e) {
      return upstreamFailure(context, 502, "the upstream fetch failed (" + e + ")");
    }
    catch (UncheckedIOException e) {
      return upstreamFailure(context, 502, "the upstream fetch failed (" + e.getCause() + ")");
    }
  }

  private static boolean blockedByConfiguration(final Context context) {
    return context.getRepository().facet(HttpClientFacet.class).getStatus().getType()
        == RemoteConnectionStatusType.BLOCKED;
  }

  private Response upstreamFailure(final Context context, final int status, final String reason) {
    String path = context.getRequest().getPath();
    log.warn("Proxy {}: {} {} for {}", context.getRepository().getName(), status, reason, path);
    return NixResponses.failure(status, "cannot serve " + path.substring(1) + ": " + reason
        + "; not cached here, try again later");
  }
}
