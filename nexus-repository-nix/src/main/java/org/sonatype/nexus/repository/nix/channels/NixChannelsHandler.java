package org.sonatype.nexus.repository.nix.channels;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.http.NixResponses;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelPath;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.Status;
import org.sonatype.nexus.repository.view.payloads.StringPayload;

import static org.sonatype.nexus.repository.http.HttpMethods.DELETE;
import static org.sonatype.nexus.repository.http.HttpMethods.GET;
import static org.sonatype.nexus.repository.http.HttpMethods.HEAD;
import static org.sonatype.nexus.repository.http.HttpMethods.PUT;

/**
 * HTTP for Nix channels, the same for every repository type (what differs is the {@link NixChannelsFacet}):
 *
 * <ul>
 * <li>{@code GET channels/<channel>[/<flavor>]}: 302 to the latest snapshot, {@code <repo>/channels/<channel>/
 * <flavor>/<snapshot>} without a trailing slash, which is what nix-channel subscribes to and resolves;</li>
 * <li>{@code GET channels/<channel>[/<flavor>]/nixexprs.tar.xz}: 302 to the latest snapshot's tarball with
 * {@code Link: <tarball URL>; rel="immutable"}, for {@code NIX_PATH}, fetchTarball and flake inputs (Nix &ge; 2.17
 * locks the immutable URL);</li>
 * <li>{@code GET channels/<channel>/<flavor>/<snapshot>}: 200, a small page (nix-channel needs the snapshot URL to
 * answer 2xx before it fetches {@code <snapshot>/nixexprs.tar.xz});</li>
 * <li>{@code GET .../<snapshot>/nixexprs.tar.xz}: the tarball, with a strong ETag (304s come from the conditional
 * request handler earlier in the route) and never a Content-Encoding;</li>
 * <li>{@code GET channels/} and {@code channels/<channel>/}: listings, newest first, to pin or roll back;</li>
 * <li>{@code PUT .../<snapshot>[/nixexprs.tar.xz]}: deploy; {@code DELETE}: delete.</li>
 * </ul>
 *
 * Redirects carry no ETag, so the If-None-Match Nix sends to the first URL of a redirect chain never turns a moving
 * pointer into a 304.
 */
@Named
@Singleton
public class NixChannelsHandler
    implements Handler
{
  private static final String TEXT = "text/plain; charset=utf-8";

  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    String method = context.getRequest().getAction();
    boolean read = GET.equals(method) || HEAD.equals(method);
    ChannelPath path;
    try {
      path = ChannelPath.parse(context.getRequest().getPath());
    }
    catch (NixFormatException e) {
      // nothing lives at a malformed path; a write to one is the client's mistake, which it should hear about
      return read ? NixResponses.notFound(e.getMessage()) : NixResponses.failure(400, e.getMessage());
    }
    Repository repository = context.getRepository();
    NixChannelsFacet channels = repository.facet(NixChannelsFacet.class);
    switch (method) {
      case GET:
      case HEAD:
        return get(repository, channels, path);
      case PUT:
        return put(channels, path, context);
      case DELETE:
        return delete(channels, path);
      default:
        return HttpResponses.methodNotAllowed(method, GET, HEAD, PUT, DELETE);
    }
  }

  private static Response get(final Repository repository, final NixChannelsFacet channels, final ChannelPath path)
      throws Exception
  {
    String base = repository.getUrl();
    ChannelFlavor flavor = path.flavor().orElse(null);
    switch (path.kind()) {
      case CHANNELS:
        return HttpResponses.ok(ChannelPages.channels(base, repository.getName(), channels.channels()));
      case CHANNEL:
        return channels.latest(path.channel(), flavor)
            .map(latest -> redirect(base + latest.path(), null))
            .orElseGet(() -> noSnapshots(repository, path.channel(), flavor));
      case CHANNEL_TARBALL:
        return channels.latest(path.channel(), flavor)
            .map(latest -> redirect(base + latest.tarballPath(), base + latest.tarballPath()))
            .orElseGet(() -> noSnapshots(repository, path.channel(), flavor));
      case CHANNEL_LISTING:
        List<ChannelSnapshot> snapshots = channels.snapshots(path.channel(), flavor);
        return snapshots.isEmpty()
            ? noSnapshots(repository, path.channel(), flavor)
            : HttpResponses.ok(ChannelPages.snapshots(base, path.channel(), flavor, snapshots));
      case SNAPSHOT:
        return channels.has(path.snapshot())
            ? HttpResponses.ok(ChannelPages.snapshot(base, path.snapshot()))
            : noSuchSnapshot(repository, path.snapshot());
      case SNAPSHOT_TARBALL:
        Optional<Content> tarball = channels.tarball(path.snapshot());
        return tarball.isPresent()
            ? HttpResponses.ok(tarball.get())
            : noSuchSnapshot(repository, path.snapshot());
      default:
        throw new IllegalStateException("unhandled " + path.kind());
    }
  }

  private static Response put(final NixChannelsFacet channels, final ChannelPath path, final Context context)
      throws Exception
  {
    if (!isSnapshot(path)) {
      // also where a traversal attempt ends up once the server has normalised its "..": a bad deploy, not a 405
      return NixResponses.failure(400, context.getRequest().getPath().substring(1) + " names no snapshot: "
          + "channels are published by deploying snapshots to channels/<channel>/<nixpkgs|nixos>/<snapshot> "
          + "(or .../<snapshot>/" + ChannelNames.TARBALL + ")");
    }
    ChannelSnapshot snapshot = path.snapshot();
    Payload tarball = context.getRequest().getPayload();
    if (tarball == null) {
      return NixResponses.failure(400, "no body: PUT the snapshot's " + ChannelNames.TARBALL
          + " (curl -T nixexprs.tar.xz ...)");
    }
    WriteOutcome outcome = channels.deploy(snapshot, tarball);
    String url = context.getRepository().getUrl() + snapshot.path();
    // a body, not just a status: curl -T shows it
    String done = outcome == WriteOutcome.CREATED ? "deployed" : outcome.name().toLowerCase(Locale.ENGLISH);
    Response.Builder response = new Response.Builder()
        .status(Status.success(outcome == WriteOutcome.CREATED ? 201 : 200))
        .payload(new StringPayload("snapshot " + snapshot + " " + done + ": " + url + "\n", TEXT));
    if (outcome == WriteOutcome.CREATED) {
      response.header("Location", url);
    }
    return response.build();
  }

  private static Response delete(final NixChannelsFacet channels, final ChannelPath path) throws Exception {
    if (!isSnapshot(path)) {
      return NixResponses.failure(400, "only snapshots can be deleted: DELETE "
          + "channels/<channel>/<nixpkgs|nixos>/<snapshot>");
    }
    return channels.delete(path.snapshot())
        ? HttpResponses.noContent()
        : NixResponses.notFound("snapshot " + path.snapshot() + " is not in this repository");
  }

  private static boolean isSnapshot(final ChannelPath path) {
    return path.kind() == ChannelPath.Kind.SNAPSHOT || path.kind() == ChannelPath.Kind.SNAPSHOT_TARBALL;
  }

  /**
   * A 302 to an absolute URL. Moving pointers must not be cached (NixOS serves them uncached too).
   *
   * @param immutable the URL for a {@code Link: <...>; rel="immutable"} header, exactly in the shape Nix's regular
   *                  expression needs, or null
   */
  private static Response redirect(final String location, @Nullable final String immutable) {
    Response.Builder response = new Response.Builder()
        .status(Status.success(302))
        .header("Location", location)
        .header("Cache-Control", "no-cache")
        .payload(new StringPayload("Found: " + location + "\n", TEXT));
    if (immutable != null) {
      response.header("Link", "<" + immutable + ">; rel=\"immutable\"");
    }
    return response.build();
  }

  private static Response noSnapshots(final Repository repository, final String channel,
                                      @Nullable final ChannelFlavor flavor)
  {
    return NixResponses.notFound("channel " + channel + " has no " + (flavor == null ? "" : flavor.segment() + " ")
        + "snapshots in repository '" + repository.getName() + "'");
  }

  private static Response noSuchSnapshot(final Repository repository, final ChannelSnapshot snapshot) {
    return NixResponses.notFound("snapshot " + snapshot + " is not in repository '" + repository.getName() + "'");
  }
}
