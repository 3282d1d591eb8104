package org.sonatype.nexus.repository.nix.signing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamKeyMismatchTest
{
  private static final String CACHE_NIXOS_ORG_KEY = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";

  private static final String COMPANY_KEY = "cache.example.com-1:h6QIQQIGmDZP5twRqtmdy80a5sHRFsSG2juT4RYDB5E=";

  @Test
  void anotherUpstreamTrustedOnlyWithCacheNixosOrgsKeyIsWarnedAbout() {
    assertThat(UpstreamKeyMismatch.warning("https://cache.example.com/nix", List.of(CACHE_NIXOS_ORG_KEY), true))
        .get().asString()
        .contains("The upstream cache.example.com is not cache.nixos.org")
        .contains("refuses every narinfo")
        .contains("Add the public key the upstream signs with");
  }

  @Test
  void cacheNixosOrgItselfIsFineHoweverSpelled() {
    assertThat(UpstreamKeyMismatch.warning("https://cache.nixos.org", List.of(CACHE_NIXOS_ORG_KEY), true)).isEmpty();
    assertThat(UpstreamKeyMismatch.warning("https://CACHE.nixos.org./", List.of(CACHE_NIXOS_ORG_KEY), true)).isEmpty();
  }

  @Test
  void theUpstreamsOwnKeyAmongTheTrustedOnesIsFine() {
    assertThat(UpstreamKeyMismatch.warning("https://cache.example.com", List.of(CACHE_NIXOS_ORG_KEY, COMPANY_KEY),
        true)).isEmpty();
  }

  @Test
  void aProxyThatRequiresNoSignatureRefusesNothing() {
    assertThat(UpstreamKeyMismatch.warning("https://cache.example.com", List.of(CACHE_NIXOS_ORG_KEY), false))
        .isEmpty();
  }

  @Test
  void nothingToSayWithoutAnUpstreamOrKeys() {
    assertThat(UpstreamKeyMismatch.warning(null, List.of(CACHE_NIXOS_ORG_KEY), true)).isEmpty();
    assertThat(UpstreamKeyMismatch.warning("not a url at all", List.of(CACHE_NIXOS_ORG_KEY), true)).isEmpty();
    assertThat(UpstreamKeyMismatch.warning("https://cache.example.com", List.of(), true)).isEmpty();
    assertThat(UpstreamKeyMismatch.warning("https://cache.example.com", null, true)).isEmpty();
  }

  @Test
  void keysThatDoNotParseAreLeftToValidation() {
    assertThat(UpstreamKeyMismatch.warning("https://cache.example.com", List.of("cache.nixos.org-1:nope"), true))
        .isEmpty();
  }
}
