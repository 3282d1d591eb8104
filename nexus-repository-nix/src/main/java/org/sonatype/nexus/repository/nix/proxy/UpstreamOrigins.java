package org.sonatype.nexus.repository.nix.proxy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.annotation.Nullable;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Which upstream URLs a proxy repository may fetch: only those on an origin (scheme, host, port) its administrator
 * chose. Those are the origins of the repository's remote URL, channels URL and flake registry URL, and the extra
 * origins of {@code nix.allowedUpstreamOrigins}. Nothing an upstream sends (a narinfo's {@code URL}, a
 * {@code Location}) can add one.
 *
 * <p>A narinfo's {@code URL} is not covered by its signature, and a redirect is whatever the upstream answers: without
 * this rule a compromised or malicious upstream could make Nexus fetch any address its network reaches (the cloud's
 * metadata service, an internal admin page) and hand the answer to a client.
 *
 * <p>The remote's credentials go to the remote's own origin only ({@link #isRemote}): Nexus registers them for every
 * host, so whoever sends a request elsewhere must withhold them ({@link UpstreamRequests} does).
 */
public final class UpstreamOrigins
{
  /** The setting, in the repository's {@code nix} section: origins besides the configured URLs' own. */
  public static final String ALLOWED_UPSTREAM_ORIGINS = "allowedUpstreamOrigins";

  /**
   * Where channels.nixos.org redirects its channels to (their immutable releases): allowed unless the setting says
   * otherwise, so a proxy of the default channels upstream works as created.
   */
  public static final List<String> DEFAULT_ALLOWED_UPSTREAM_ORIGINS = List.of("https://releases.nixos.org");

  /** More than an administrator could mean; a bound on what each request is checked against. */
  public static final int MAX_ALLOWED_ORIGINS = 100;

  private static final String SETTING = "nix." + ALLOWED_UPSTREAM_ORIGINS;

  private final String remote;

  private final Set<String> allowed;

  private UpstreamOrigins(final String remote, final Set<String> allowed) {
    this.remote = remote;
    this.allowed = allowed;
  }

  /**
   * @param remote the repository's remote URL: its origin also gets the remote's credentials
   * @param extra  {@code nix.allowedUpstreamOrigins}, each {@code http(s)://host[:port]}
   * @throws IllegalArgumentException if the remote URL or an extra origin is not an http(s) origin; the message
   *                                  names it
   */
  public static UpstreamOrigins of(final URI remote, @Nullable final Collection<String> extra) {
    String remoteOrigin = origin(checkNotNull(remote))
        .orElseThrow(() -> new IllegalArgumentException("the remote URL " + remote + " is not an http(s) URL"));
    Set<String> allowed = new LinkedHashSet<>();
    allowed.add(remoteOrigin);
    allowed.addAll(parseAllowed(extra));
    return new UpstreamOrigins(remoteOrigin, allowed);
  }

  /**
   * These origins and that of another URL the administrator configured (the channels or flake registry upstream);
   * the remote's credentials still go to the remote's origin only.
   */
  public UpstreamOrigins with(final URI configured) {
    Optional<String> origin = origin(configured);
    if (origin.isEmpty() || allowed.contains(origin.get())) {
      return this;
    }
    Set<String> more = new LinkedHashSet<>(allowed);
    more.add(origin.get());
    return new UpstreamOrigins(remote, more);
  }

  /**
   * Checks {@code nix.allowedUpstreamOrigins} as an administrator gives it: each entry an origin (no path beyond
   * "/", no query, no user info), at most {@value #MAX_ALLOWED_ORIGINS}.
   *
   * @return the origins, normalised ({@code scheme://host:port}, lower case, default ports written out)
   * @throws IllegalArgumentException naming the first entry that is wrong
   */
  public static List<String> parseAllowed(@Nullable final Collection<String> extra) {
    List<String> origins = new ArrayList<>();
    if (extra == null) {
      return origins;
    }
    if (extra.size() > MAX_ALLOWED_ORIGINS) {
      throw new IllegalArgumentException(SETTING + " has " + extra.size() + " entries, more than the "
          + MAX_ALLOWED_ORIGINS + " allowed");
    }
    int position = 0;
    for (String entry : extra) {
      position++;
      String text = entry == null ? "" : entry.trim();
      URI uri = parse(text);
      String path = uri == null ? null : uri.getRawPath();
      if (uri == null || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null
          || (path != null && !path.isEmpty() && !"/".equals(path)) || origin(uri).isEmpty()) {
        throw new IllegalArgumentException(SETTING + " entry " + position + " ('" + text + "') is not an origin "
            + "such as https://cache.example.com or http://10.0.0.5:8080 (a scheme, a host and an optional port, "
            + "nothing else)");
      }
      origins.add(origin(uri).get());
    }
    return origins;
  }

  /**
   * Why {@code url} may not be fetched, or empty if it may.
   */
  public Optional<String> refusal(final URI url) {
    if (url.getRawUserInfo() != null) {
      return Optional.of("it carries user information (credentials) of its own");
    }
    Optional<String> origin = origin(url);
    if (origin.isEmpty()) {
      return Optional.of("it is not an http(s) URL with a host");
    }
    if (allowed.contains(origin.get())) {
      return Optional.empty();
    }
    return Optional.of("its origin " + origin.get() + " is none of this proxy's upstreams (" + String.join(", ",
        allowed) + "); an administrator may add it to " + SETTING);
  }

  /** Whether {@code url} is on the remote's own origin: the only one the remote's credentials are sent to. */
  public boolean isRemote(final URI url) {
    return url.getRawUserInfo() == null && origin(url).map(remote::equals).orElse(false);
  }

  /** {@code scheme://host:port} of an http(s) URL with a host (default ports written out), else empty. */
  public static Optional<String> origin(@Nullable final URI url) {
    if (url == null || url.getScheme() == null || url.getHost() == null || url.getHost().isEmpty()) {
      return Optional.empty();
    }
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    int port;
    if ("http".equals(scheme)) {
      port = url.getPort() < 0 ? 80 : url.getPort();
    }
    else if ("https".equals(scheme)) {
      port = url.getPort() < 0 ? 443 : url.getPort();
    }
    else {
      return Optional.empty();
    }
    return Optional.of(scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port);
  }

  @Nullable
  private static URI parse(final String text) {
    try {
      return new URI(text);
    }
    catch (Exception e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "UpstreamOrigins{remote=" + remote + ", allowed=" + allowed + "}";
  }
}
