package org.sonatype.nexus.repository.nix.signing;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixPublicKey;

/**
 * The likeliest mistake in a proxy's settings: an upstream that is not cache.nixos.org (a company cache, Cachix,
 * another Nexus) with the default trusted upstream keys, which trust only cache.nixos.org's key. Such a proxy refuses
 * every narinfo its upstream did not get from cache.nixos.org, and Nix, finding nothing, builds everything from source
 * without saying why. Not an error: an upstream that passes cache.nixos.org's narinfos on unchanged (a mirror, another
 * proxy of it) is served well by exactly these settings.
 */
public final class UpstreamKeyMismatch
{
  static final String CACHE_NIXOS_ORG = "cache.nixos.org";

  private UpstreamKeyMismatch() {
  }

  /**
   * @param remoteUrl the proxy's upstream, as configured
   * @param keys      its trusted upstream keys ({@code name:base64}); keys that do not parse are left to validation
   * @param required  whether it requires a signature by one of them
   * @return the warning to show, if the settings look like that mistake
   */
  public static Optional<String> warning(
      @Nullable final String remoteUrl,
      @Nullable final List<String> keys,
      final boolean required)
  {
    String host = host(remoteUrl);
    if (!required || host == null || host.equals(CACHE_NIXOS_ORG) || keys == null || keys.isEmpty()) {
      return Optional.empty();
    }
    for (String key : keys) {
      if (!isCacheNixosOrgKey(key)) {
        return Optional.empty();
      }
    }
    return Optional.of("The upstream " + host + " is not cache.nixos.org, but the only trusted upstream key is "
        + "cache.nixos.org's: unless " + host + " serves cache.nixos.org's narinfos unchanged, this proxy refuses "
        + "every narinfo it fetches and Nix builds everything from source. Add the public key the upstream signs "
        + "with to the trusted upstream keys (or stop requiring a signature).");
  }

  private static boolean isCacheNixosOrgKey(final String text) {
    try {
      return NixPublicKey.parse(text).name().startsWith(CACHE_NIXOS_ORG + "-");
    }
    catch (NixFormatException e) {
      return false;
    }
  }

  @Nullable
  private static String host(@Nullable final String url) {
    if (url == null) {
      return null;
    }
    try {
      String host = URI.create(url.trim()).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    }
    catch (IllegalArgumentException e) {
      return null;
    }
  }
}
