package org.sonatype.nexus.repository.nix.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.common.collect.NestedAttributesMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NixProxyAttributesTest
{
  @Test
  void aNewProxyTrustsCacheNixosOrgAndRequiresItsSignature() {
    NixProxyAttributes defaults = NixProxyAttributes.defaults();

    assertThat(defaults.getTrustedUpstreamKeys())
        .containsExactly("cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=");
    assertThat(defaults.getRequireUpstreamSignature()).isTrue();
  }

  @Test
  void anEmptyKeyListRequiresNoSignatureByDefault() {
    NixProxyAttributes none = new NixProxyAttributes(null, null, List.of(), null);

    assertThat(none.getRequireUpstreamSignature()).isFalse();
  }

  @Test
  void aProxyConfiguredBeforeUpstreamKeysExistedShowsNoneAndRequiresNothing() {
    Map<String, Object> nix = new LinkedHashMap<>();
    nix.put("storeDir", "/nix/store");

    NixProxyAttributes read = NixProxyAttributes.from(new NestedAttributesMap("nix", nix));

    assertThat(read.getTrustedUpstreamKeys()).isEmpty();
    assertThat(read.getRequireUpstreamSignature()).isFalse();
  }

  @Test
  void theSettingsRoundTripThroughTheConfiguration() {
    NestedAttributesMap nix = new NestedAttributesMap("nix", new LinkedHashMap<>());
    new NixProxyAttributes(null, null, List.of("a-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8="), false).applyTo(nix);

    NixProxyAttributes read = NixProxyAttributes.from(nix);

    assertThat(read.getTrustedUpstreamKeys()).containsExactly("a-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=");
    assertThat(read.getRequireUpstreamSignature()).isFalse();
  }

  @Test
  void theFlakeRegistryIsChannelsNixosOrgsUnlessSetOrTurnedOff() {
    assertThat(NixProxyAttributes.defaults().getFlakeRegistryUrl())
        .isEqualTo("https://channels.nixos.org/flake-registry.json");

    NixProxyAttributes off = NixProxyAttributes.defaults();
    off.setFlakeRegistryUrl("");
    assertThat(off.getFlakeRegistryUrl()).isNull();
    off.setFlakeRegistryUrl(null);
    assertThat(off.getFlakeRegistryUrl()).isNull();
  }

  @Test
  void aMissingFlakeRegistryMeansTheDefaultAndAnEmptyOneStaysOff() {
    NestedAttributesMap configuredBefore = new NestedAttributesMap("nix", new LinkedHashMap<>());
    assertThat(NixProxyAttributes.from(configuredBefore).getFlakeRegistryUrl())
        .isEqualTo("https://channels.nixos.org/flake-registry.json");

    NixProxyAttributes off = NixProxyAttributes.defaults();
    off.setFlakeRegistryUrl(null);
    NestedAttributesMap nix = new NestedAttributesMap("nix", new LinkedHashMap<>());
    off.applyTo(nix);

    assertThat(nix.get("flakeRegistryUrl")).isEqualTo("");
    assertThat(NixProxyAttributes.from(nix).getFlakeRegistryUrl()).isNull();
  }

  @Test
  void aFlakeRegistryUrlRoundTrips() {
    NixProxyAttributes set = NixProxyAttributes.defaults();
    set.setFlakeRegistryUrl(" http://registry.example/flake-registry.json ");
    NestedAttributesMap nix = new NestedAttributesMap("nix", new LinkedHashMap<>());
    set.applyTo(nix);

    assertThat(NixProxyAttributes.from(nix).getFlakeRegistryUrl())
        .isEqualTo("http://registry.example/flake-registry.json");
  }

  @Test
  void upstreamFailuresAreErrorsUnlessSetToNotFound() {
    NestedAttributesMap configuredBefore = new NestedAttributesMap("nix", new LinkedHashMap<>());
    assertThat(NixProxyAttributes.from(configuredBefore).getWhenUpstreamFails()).isEqualTo("error");

    NixProxyAttributes notFound = NixProxyAttributes.defaults();
    notFound.setWhenUpstreamFails("notFound");
    NestedAttributesMap nix = new NestedAttributesMap("nix", new LinkedHashMap<>());
    notFound.applyTo(nix);

    assertThat(nix.get("whenUpstreamFails")).isEqualTo("notFound");
    assertThat(NixProxyAttributes.from(nix).getWhenUpstreamFails()).isEqualTo("notFound");
  }
}
