package org.sonatype.nexus.repository.nix.flakes;

import java.util.Locale;
import java.util.Optional;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.http.NixResponses;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeArchive;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakePath;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRegistry;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.Status;
import org.sonatype.nexus.repository.view.payloads.BytesPayload;
import org.sonatype.nexus.repository.view.payloads.StringPayload;

import com.google.common.hash.Hashing;

import static org.sonatype.nexus.repository.http.HttpMethods.DELETE;
import static org.sonatype.nexus.repository.http.HttpMethods.GET;
import static org.sonatype.nexus.repository.http.HttpMethods.HEAD;
import static org.sonatype.nexus.repository.http.HttpMethods.PUT;
import static org.sonatype.nexus.repository.view.Content.CONTENT_ETAG;

/**
 * HTTP for private flakes and the flake registry, the same for every repository type (what differs is the
 * {@link NixFlakesFacet}):
 *
 * <ul>
 * <li>{@code GET flake-registry.json}: the registry (version 2), with a strong ETag, for the {@code flake-registry}
 * setting;</li>
 * <li>{@code GET flakes/<name>/<version>.<ext>}: a version's tarball, with a strong ETag (304s come from the
 * conditional request handler earlier in the route) and never a Content-Encoding; query strings are ignored;</li>
 * <li>{@code GET flakes/<name>.tar.gz} (or {@code .tar.xz}, {@code .tar.zst}): 302 to the newest version's tarball,
 * with {@code Link: <immutable URL>; rel="immutable"}, which Nix &ge; 2.17 locks instead of the moving URL;</li>
 * <li>{@code PUT flakes/<name>/<version>.<ext>}: publish; {@code DELETE}: delete.</li>
 * </ul>
 *
 * Redirects carry no ETag, so the If-None-Match Nix sends to the first URL of a redirect chain never turns the
 * moving URL into a 304.
 */
@Named
@Singleton
public class NixFlakesHandler
    implements Handler
{
  private static final String TEXT = "text/plain; charset=utf-8";

  private static final String JSON = "application/json";

  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    String method = context.getRequest().getAction();
    boolean read = GET.equals(method) || HEAD.equals(method);
    FlakePath path;
    try {
      path = FlakePath.parse(context.getRequest().getPath());
    }
    catch (NixFormatException e) {
      // nothing lives at a malformed path; a write to one is the client's mistake, which it should hear about
      return read ? NixResponses.notFound(e.getMessage()) : NixResponses.failure(400, e.getMessage());
    }
    Repository repository = context.getRepository();
    NixFlakesFacet flakes = repository.facet(NixFlakesFacet.class);
    switch (path.kind()) {
      case REGISTRY:
        return read
            ? HttpResponses.ok(registry(flakes.registry(repository.getUrl())))
            : HttpResponses.methodNotAllowed(method, GET, HEAD);
      case LATEST:
        return read ? latest(repository, flakes, path.name()) : NixResponses.failure(400,
            context.getRequest().getPath().substring(1) + " is the newest version of flake " + path.name()
                + ", named by no version: publish to flakes/" + path.name() + "/<version>{"
                + FlakeArchive.describeAll() + "}");
      case RELEASE:
        return release(context, method, flakes, path.release());
      default:
        throw new IllegalStateException("unhandled " + path.kind());
    }
  }

  private static Response release(
      final Context context,
      final String method,
      final NixFlakesFacet flakes,
      final FlakeRelease release) throws Exception
  {
    switch (method) {
      case GET:
      case HEAD:
        Optional<Content> tarball = flakes.tarball(release);
        return tarball.isPresent()
            ? HttpResponses.ok(tarball.get())
            : NixResponses.notFound("flake " + release + " (" + release.tarballPath().substring(1) + ") is not in "
                + "repository '" + context.getRepository().getName() + "'");
      case PUT:
        return publish(context, flakes, release);
      case DELETE:
        return flakes.delete(release)
            ? HttpResponses.noContent()
            : NixResponses.notFound("flake " + release + " (" + release.tarballPath().substring(1) + ") is not in "
                + "this repository");
      default:
        return HttpResponses.methodNotAllowed(method, GET, HEAD, PUT, DELETE);
    }
  }

  private static Response publish(final Context context, final NixFlakesFacet flakes, final FlakeRelease release)
      throws Exception
  {
    Payload tarball = context.getRequest().getPayload();
    if (tarball == null) {
      return NixResponses.failure(400, "no body: PUT the flake's source tarball (curl -T " + release.name()
          + release.archive().extension() + " ...)");
    }
    WriteOutcome outcome = flakes.deploy(release, tarball);
    String url = context.getRepository().getUrl() + release.tarballPath();
    // a body, not just a status: curl -T shows it
    String done = outcome == WriteOutcome.CREATED ? "published" : outcome.name().toLowerCase(Locale.ENGLISH);
    Response.Builder response = new Response.Builder()
        .status(Status.success(outcome == WriteOutcome.CREATED ? 201 : 200))
        .payload(new StringPayload("flake " + release + " " + done + ": " + url + "\n", TEXT));
    if (outcome == WriteOutcome.CREATED) {
      response.header("Location", url);
    }
    return response.build();
  }

  /**
   * A 302 to the newest version's own tarball URL. The moving URL must not be cached (NixOS serves its moving
   * tarball URLs uncached too); the {@code Link} header is exactly in the shape Nix's regular expression needs,
   * {@code <([^>]*)>; rel="immutable"} over the whole value.
   */
  private static Response latest(final Repository repository, final NixFlakesFacet flakes, final String name)
      throws Exception
  {
    Optional<StoredFlake> newest = flakes.newest(name);
    if (newest.isEmpty()) {
      return NixResponses.notFound("flake " + name + " has no versions in repository '" + repository.getName()
          + "'");
    }
    String location = repository.getUrl() + newest.get().release().tarballPath();
    return new Response.Builder()
        .status(Status.success(302))
        .header("Location", location)
        .header("Cache-Control", "no-cache")
        .header("Link", "<" + newest.get().immutableUrl(repository.getUrl()) + ">; rel=\"immutable\"")
        .payload(new StringPayload("Found: " + location + "\n", TEXT))
        .build();
  }

  /** The registry with a strong ETag, so Nix's If-None-Match after tarball-ttl is answered with a 304. */
  private static Content registry(final FlakeRegistry registry) {
    byte[] json = registry.toJson();
    Content content = new Content(new BytesPayload(json, JSON));
    content.getAttributes().set(CONTENT_ETAG, Hashing.sha1().hashBytes(json).toString());
    return content;
  }
}
