package org.sonatype.nexus.repository.nix.hosted;

import java.io.IOException;
import java.util.List;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.nix.content.ContentEncodedUploads;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetKindMatcher;
import org.sonatype.nexus.repository.nix.content.NixAssetPaths;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.http.NixResponses;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.Response;

import static org.sonatype.nexus.repository.http.HttpMethods.DELETE;
import static org.sonatype.nexus.repository.http.HttpMethods.GET;
import static org.sonatype.nexus.repository.http.HttpMethods.HEAD;
import static org.sonatype.nexus.repository.http.HttpMethods.PUT;
import static org.sonatype.nexus.repository.nix.content.NixAssetKind.NAR;
import static org.sonatype.nexus.repository.nix.content.NixAssetKind.NARINFO;

/**
 * HTTP for a hosted binary cache: reads from {@link NixContentFacet}, writes through the rules of
 * {@link NixHostedFacet}.
 */
@Named
@Singleton
public class NixHostedHandler
    implements Handler
{
  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    Repository repository = context.getRepository();
    NixAssetKind kind = NixAssetKindMatcher.assetKind(context);
    String path = context.getRequest().getPath();
    String method = context.getRequest().getAction();
    switch (method) {
      case GET:
      case HEAD:
        return get(repository.facet(NixContentFacet.class), kind, path);
      case PUT:
        return put(repository.facet(NixHostedFacet.class), kind, path,
            ContentEncodedUploads.decoded(context.getRequest(), kind));
      case DELETE:
        return delete(repository.facet(NixHostedFacet.class), kind, path,
            "true".equals(context.getRequest().getParameters().get("cascade")));
      default:
        return HttpResponses.methodNotAllowed(method, GET, HEAD, PUT, DELETE);
    }
  }

  private static Response get(final NixContentFacet content, final NixAssetKind kind, final String path) {
    if (kind == NARINFO) {
      return content.findNarInfo(NixAssetPaths.storeHash(path))
          .map(content::narInfoContent)
          .map(HttpResponses::ok)
          .orElseGet(() -> NixResponses.notFound("store path " + NixAssetPaths.storeHash(path)
              + " is not in this repository"));
    }
    return content.findAsset(path)
        .map(content::download)
        .map(HttpResponses::ok)
        .orElseGet(() -> NixResponses.notFound(path.substring(1) + " is not in this repository"));
  }

  private static Response put(
      final NixHostedFacet hosted,
      final NixAssetKind kind,
      final String path,
      final Payload payload) throws Exception
  {
    WriteOutcome outcome;
    if (kind == NARINFO) {
      outcome = hosted.putNarInfo(NixAssetPaths.storeHash(path), payload);
    }
    else if (kind == NAR) {
      outcome = hosted.putNar(path, payload);
    }
    else {
      outcome = hosted.putFile(path, kind, payload);
    }
    return outcome == WriteOutcome.CREATED
        ? HttpResponses.created()
        : HttpResponses.ok(path.substring(1) + " " + outcome.name().toLowerCase());
  }

  private static Response delete(
      final NixHostedFacet hosted,
      final NixAssetKind kind,
      final String path,
      final boolean cascade) throws IOException
  {
    if (kind == NARINFO) {
      List<String> deleted = hosted.deleteStorePath(NixAssetPaths.storeHash(path), cascade);
      return deleted.isEmpty()
          ? NixResponses.notFound("store path " + NixAssetPaths.storeHash(path) + " is not in this repository")
          : HttpResponses.noContent();
    }
    return hosted.deleteFile(path, kind)
        ? HttpResponses.noContent()
        : NixResponses.notFound(path.substring(1) + " is not in this repository");
  }
}
