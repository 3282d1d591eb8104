package org.sonatype.nexus.repository.nix.proxy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamOriginsTest
{
  private final UpstreamOrigins origins =
      UpstreamOrigins.of(URI.create("https://cache.example.com/"), List.of("https://nars.example.net:8443"));

  @Test
  void theRemotesOwnOriginMayBeFetchedWhateverThePath() {
    assertThat(origins.refusal(URI.create("https://cache.example.com/nar/x.nar.xz"))).isEmpty();
    assertThat(origins.refusal(URI.create("HTTPS://Cache.Example.COM:443/x.narinfo"))).isEmpty();
  }

  @Test
  void anotherHostPortOrSchemeIsRefusedAndTheRefusalNamesTheSetting() {
    for (String url : List.of("https://evil.example.org/nar/x.nar", "https://cache.example.com:444/nar/x.nar",
        "http://cache.example.com/nar/x.nar", "http://169.254.169.254/latest/meta-data/")) {
      assertThat(origins.refusal(URI.create(url)).orElseThrow()).as(url)
          .contains("is none of this proxy's upstreams").contains("nix.allowedUpstreamOrigins");
    }
  }

  @Test
  void anAllowedOriginMayBeFetchedButIsNotTheRemote() {
    URI nar = URI.create("https://nars.example.net:8443/bucket/x.nar.zst?X-Amz-Signature=abc");
    assertThat(origins.refusal(nar)).isEmpty();
    assertThat(origins.isRemote(nar)).isFalse();
    assertThat(origins.isRemote(URI.create("https://cache.example.com/x.narinfo"))).isTrue();
  }

  @Test
  void urlsWithUserInformationOrWithoutAnHttpHostAreRefused() {
    assertThat(origins.refusal(URI.create("https://user:pw@cache.example.com/x"))).isPresent();
    assertThat(origins.isRemote(URI.create("https://user:pw@cache.example.com/x"))).isFalse();
    assertThat(origins.refusal(URI.create("file:///etc/passwd"))).isPresent();
    assertThat(origins.refusal(URI.create("ftp://cache.example.com/x"))).isPresent();
    assertThat(origins.refusal(URI.create("nar/relative.nar"))).isPresent();
  }

  @Test
  void aFeaturesOwnUpstreamIsAddedWithoutBecomingTheRemote() {
    UpstreamOrigins channels = origins.with(URI.create("https://channels.example.com/"));
    assertThat(channels.refusal(URI.create("https://channels.example.com/nixos-24.11"))).isEmpty();
    assertThat(channels.isRemote(URI.create("https://channels.example.com/nixos-24.11"))).isFalse();
    assertThat(origins.refusal(URI.create("https://channels.example.com/nixos-24.11"))).isPresent();
  }

  @Test
  void defaultPortsAreTheSameOrigin() {
    UpstreamOrigins plain = UpstreamOrigins.of(URI.create("http://cache.example.com"), List.of());
    assertThat(plain.refusal(URI.create("http://cache.example.com:80/x"))).isEmpty();
    assertThat(UpstreamOrigins.origin(URI.create("https://a.b/c"))).contains("https://a.b:443");
  }

  @Test
  void allowedOriginsMustBeOriginsAndTheErrorSaysWhichOne() {
    assertThat(UpstreamOrigins.parseAllowed(List.of("https://a.example.com", " http://10.0.0.5:8080/ ")))
        .containsExactly("https://a.example.com:443", "http://10.0.0.5:8080");
    for (String wrong : List.of("https://a.example.com/path", "a.example.com", "ftp://a.example.com",
        "https://u:p@a.example.com", "https://a.example.com?x=1", "", "https://")) {
      assertThatThrownBy(() -> UpstreamOrigins.parseAllowed(List.of("https://ok.example.com", wrong)))
          .as(wrong).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nix.allowedUpstreamOrigins entry 2");
    }
  }

  @Test
  void theNumberOfAllowedOriginsIsBounded() {
    List<String> many = java.util.Collections.nCopies(UpstreamOrigins.MAX_ALLOWED_ORIGINS + 1, "https://a.b");
    assertThatThrownBy(() -> UpstreamOrigins.parseAllowed(many)).hasMessageContaining("more than the 100 allowed");
  }
}
