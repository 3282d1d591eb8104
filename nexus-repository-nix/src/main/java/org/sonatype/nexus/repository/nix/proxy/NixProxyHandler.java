package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.common.cooperation2.CooperationException;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetKindMatcher;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.http.NixResponses;
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
 * Nix caches a 404 for an hour, so a 404 here means only "the upstream does not have it" (its 404, 410 or 403),
 * "no narinfo of this proxy names that NAR, and its name does not say what it is" or "an administrator blocked the
 * remote" (offline mode: only the cache exists). Everything else that goes wrong upstream (errors, timeouts, refused
 * connections, an auto-blocked remote, a URL or redirect outside the proxy's upstream origins, a corrupt answer) is
 * an upstream failure: a 5xx, which Nix retries and does not remember, unless the repository's
 * {@code nix.whenUpstreamFails} turns it into a 404; a cached copy, when there is one, is served instead.
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
    String file = context.getRequest().getPath().substring(1);
    NixProxyFacet proxy = context.getRepository().facet(NixProxyFacet.class);
    try {
      if (NixAssetKindMatcher.assetKind(context) == NixAssetKind.NAR) {
        return HttpResponses.ok(proxy.getNar(context, HEAD.equals(method)));
      }
      Content content = proxy.get(context);
      if (content == null) {
        return NixResponses.notFound("the upstream cache " + proxy.getRemoteUrl() + " does not have " + file);
      }
      return HttpResponses.ok(content);
    }
    catch (ProxyServiceException e) {
      StatusLine status = e.getHttpResponse().getStatusLine();
      return upstreamFailure(context, 502, "the upstream answered " + status.getStatusCode() + " "
          + status.getReasonPhrase());
    }
    catch (CooperationException e) {
      return upstreamFailure(context, 503, "too many requests waiting for the same upstream fetch");
    }
    catch (IOException e) {
      return answer(context, UpstreamFailures.of(proxy.gate(), "cannot serve " + file, e));
    }
    catch (UncheckedIOException e) {
      return answer(context, UpstreamFailures.of(proxy.gate(), "cannot serve " + file, e.getCause()));
    }
    catch (NixRequestException e) {
      // thrown on the way by the proxy's checks of what the upstream sent (a corrupt narinfo, a wrong NAR URL)
      if (e.status() >= 500 && e.retryAfterSeconds() > 0) {
        // this server is busy (e.g. its decoders' memory is taken): the client may try again after the time it says
        return answer(context, NixRequestException.unavailable("cannot serve " + file + ": " + e.getMessage(),
            e.retryAfterSeconds(), e));
      }
      if (e.status() >= 500) {
        return upstreamFailure(context, e.status(), e.getMessage());
      }
      throw e;
    }
  }

  private Response answer(final Context context, final NixRequestException failure) {
    if (failure.status() < 500) {
      return NixResponses.failure(failure.status(), failure.getMessage());
    }
    log.warn("Proxy {}: {} {}", context.getRepository().getName(), failure.status(), failure.getMessage());
    return NixResponses.upstreamFailure(failure);
  }

  private Response upstreamFailure(final Context context, final int status, final String reason) {
    return answer(context, new NixRequestException(status, "cannot serve " + context.getRequest().getPath()
        .substring(1) + ": " + reason));
  }
}
