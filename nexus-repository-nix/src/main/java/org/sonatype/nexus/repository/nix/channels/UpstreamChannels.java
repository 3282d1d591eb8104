package org.sonatype.nexus.repository.nix.channels;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.proxy.UpstreamRequests;
import org.sonatype.nexus.repository.nix.proxy.UpstreamResponses;

import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;

import static org.sonatype.nexus.repository.nix.http.NixRequestException.badGateway;

/**
 * Asks an upstream such as channels.nixos.org where a channel points: {@code GET <channels URL>/<channel>} answers
 * with a redirect (a chain of them, through CDNs) to the channel's current immutable release directory, e.g.
 * {@code https://releases.nixos.org/nixos/24.11/nixos-24.11.715880.b75693fb46bf}, which answers 200.
 *
 * <p>The redirects are followed by {@link UpstreamRequests}: each hop, whatever its host, not at all while the proxy
 * is blocked or auto-blocked, only to an origin the proxy's administrator chose (the channels URL's own, the
 * remote's, {@code nix.allowedUpstreamOrigins}, which lists releases.nixos.org by default), without the remote's
 * credentials unless it is the remote's origin, and its outcome counted toward auto-blocking. The last URL before
 * the 200 is the answer.
 */
final class UpstreamChannels
{
  private final UpstreamRequests requests;

  private final URI channelsUrl;

  UpstreamChannels(final UpstreamRequests requests, final URI channelsUrl) {
    this.requests = requests;
    this.channelsUrl = channelsUrl;
  }

  URI channelUrl(final String channel) {
    String base = channelsUrl.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + channel);
  }

  /**
   * @return the release directory the channel points at (without query or fragment), or empty if the upstream
   * does not know the channel (404, 410 or 403 for the channel URL itself)
   * @throws NixRequestException (502) if the upstream answers something else than a redirect to a release
   * @throws IOException         if the upstream cannot be reached, does not answer in time, or redirects where this
   *                             proxy does not follow
   */
  Optional<URI> releaseOf(final String channel) throws IOException {
    UpstreamRequests.Followed followed = requests.follow(new HttpGet(channelUrl(channel)));
    HttpResponse response = followed.response();
    try {
      int status = response.getStatusLine().getStatusCode();
      URI url = followed.url();
      if (status >= 200 && status < 300) {
        if (followed.redirects() == 0) {
          throw badGateway("the upstream channel " + url + " answered " + status + " instead of redirecting to "
              + "an immutable release, so there is no snapshot to pin");
        }
        return Optional.of(withoutQuery(url));
      }
      if (followed.redirects() == 0 && (status == 404 || status == 410 || status == 403)) {
        return Optional.empty();
      }
      throw badGateway("the upstream answered " + url + " with " + status + " "
          + response.getStatusLine().getReasonPhrase());
    }
    finally {
      UpstreamResponses.abandon(response);
    }
  }

  /** channels.nixos.org adds {@code ?rev=...} to some redirects; the directory is the path. */
  private static URI withoutQuery(final URI url) {
    String text = url.toString();
    int cut = text.length();
    for (char c : new char[]{'?', '#'}) {
      int at = text.indexOf(c);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return URI.create(text.substring(0, cut));
  }
}
