package org.sonatype.nexus.repository.nix.it.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.NexusRest;

/**
 * Create and update bodies of the REST API's three Nix endpoints, each with a {@code nix} block the test chooses.
 */
enum NixRepositoryBodies
{
  HOSTED("hosted"),
  PROXY("proxy"),
  GROUP("group");

  /** A public key that is not cache.nixos.org's, for lists of trusted keys. */
  static final String CI_KEY = "ci-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=";

  static final String CACHE_NIXOS_ORG_KEY = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";

  private final String type;

  NixRepositoryBodies(final String type) {
    this.type = type;
  }

  /** {@code /service/rest/v1/repositories/nix/<type>} */
  String endpoint() {
    return "/service/rest/v1/repositories/nix/" + type;
  }

  /**
   * @param member the hosted repository groups take as their (writable) member
   */
  Map<String, Object> body(final String name, final Map<String, ?> nix, final String member) {
    switch (this) {
      case HOSTED:
        return NexusRest.nixHostedRequest(name, nix, "allow_once");
      case PROXY:
        return NexusRest.nixProxyRequest(name, "http://127.0.0.1:9/cache", nix);
      default:
        return NexusRest.nixGroupRequest(name, List.of(member), nix);
    }
  }

  /**
   * Every Nix setting of the type but the signing key, none at its default.
   */
  Map<String, Object> settings(final String member) {
    Map<String, Object> nix = new LinkedHashMap<>();
    nix.put("storeDir", "/nix/store");
    switch (this) {
      case HOSTED:
        nix.put("priority", 25);
        nix.put("verifyNarHash", false);
        nix.put("requireCompleteClosure", false);
        nix.put("trustedUploadKeys", List.of(CI_KEY));
        break;
      case PROXY:
        nix.put("priority", 45);
        nix.put("trustedUpstreamKeys", List.of(CACHE_NIXOS_ORG_KEY, CI_KEY));
        nix.put("requireUpstreamSignature", false);
        nix.put("channelsUrl", "http://127.0.0.1:9/channels");
        break;
      default:
        nix.put("priority", 20);
        nix.put("writableMember", member);
        break;
    }
    return nix;
  }

  /** Whether repositories of the type have a signing key of their own. */
  boolean signs() {
    return this != PROXY;
  }

  /** {@link #settings} plus, for types that sign, a generated key named {@code keyName}. */
  Map<String, Object> settingsWithKey(final String member, final String keyName) {
    Map<String, Object> nix = settings(member);
    if (signs()) {
      nix.put("signing", Map.of("generate", true, "keyName", keyName));
    }
    return nix;
  }
}
