package org.sonatype.nexus.repository.nix.channels;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import org.sonatype.nexus.repository.nix.content.NixRequestException;
import org.sonatype.nexus.repository.nix.proxy.NixUpstreamGateFacet;
import org.sonatype.nexus.repository.nix.proxy.UpstreamResponses;

import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.client.config.CookieSpecs;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpGet;

import static org.sonatype.nexus.repository.nix.content.NixRequestException.badGateway;

/**
 * Asks an upstream such as channels.nixos.org where a channel points: {@code GET <channels URL>/<channel>} answers
 * with a redirect (a chain of them, through CDNs) to the channel's current immutable release directory, e.g.
 * {@code https://releases.nixos.org/nixos/24.11/nixos-24.11.715880.b75693fb46bf}, which answers 200.
 *
 * The redirects are followed here, one by one, rather than by the HTTP client: the last URL before the 200 is the
 * answer, and the client would hide it. Each hop goes through the proxy's {@link NixUpstreamGateFacet}, whatever
 * host it is on.
 */
final class UpstreamChannels
{
  static final int MAX_REDIRECTS = 10;

  private final NixUpstreamGateFacet gate;

  private final URI channelsUrl;

  private final RequestConfig noRedirects;

  /**
   * @param timeoutMillis connect and read timeout; the request config replaces the client's own, so the repository's
   *                      timeout is passed in again
   */
  UpstreamChannels(final NixUpstreamGateFacet gate, final URI channelsUrl, final int timeoutMillis) {
    this.gate = gate;
    this.channelsUrl = channelsUrl;
    this.noRedirects = RequestConfig.custom()
        .setRedirectsEnabled(false)
        .setConnectTimeout(timeoutMillis)
        .setSocketTimeout(timeoutMillis)
        .setConnectionRequestTimeout(timeoutMillis)
        .setCookieSpec(CookieSpecs.IGNORE_COOKIES)
        .build();
  }

  URI channelUrl(final String channel) {
    String base = channelsUrl.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + channel);
  }

  /**
   * @return the release directory the channel points at (without query or fragment), or empty if the upstream
   * does not know the channel (404, 410 or 403 for the channel URL itself)
   * @throws NixRequestException (502) if the upstream answers something else than a redirect to a release
   * @throws IOException         if the upstream cannot be reached or does not answer in time
   */
  Optional<URI> releaseOf(final String channel) throws IOException {
    URI url = channelUrl(channel);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpGet get = new HttpGet(url);
      get.setConfig(noRedirects);
      HttpResponse response = gate.execute(get);
      try {
        int status = response.getStatusLine().getStatusCode();
        if (isRedirect(status)) {
          Header location = response.getFirstHeader("Location");
          if (location == null) {
            throw badGateway("the upstream answered " + url + " with " + status + " but no Location");
          }
          url = resolve(url, location.getValue());
          continue;
        }
        if (status >= 200 && status < 300) {
          if (hop == 0) {
            throw badGateway("the upstream channel " + url + " answered " + status + " instead of redirecting to "
                + "an immutable release, so there is no snapshot to pin");
          }
          return Optional.of(withoutQuery(url));
        }
        if (hop == 0 && (status == 404 || status == 410 || status == 403)) {
          return Optional.empty();
        }
        throw badGateway("the upstream answered " + url + " with " + status + " "
            + response.getStatusLine().getReasonPhrase());
      }
      finally {
        UpstreamResponses.abandon(response);
      }
    }
    throw badGateway("the upstream channel " + channelUrl(channel) + " redirects more than " + MAX_REDIRECTS
        + " times");
  }

  private static boolean isRedirect(final int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI resolve(final URI base, final String location) {
    try {
      URI resolved = base.resolve(location.trim());
      String scheme = resolved.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw badGateway("the upstream redirected " + base + " to '" + location + "', which is not http(s)");
      }
      return resolved;
    }
    catch (IllegalArgumentException e) {
      throw badGateway("the upstream redirected " + base + " to '" + location + "', which is not a URL");
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
