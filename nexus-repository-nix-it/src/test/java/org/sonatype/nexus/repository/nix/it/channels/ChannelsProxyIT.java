package org.sonatype.nexus.repository.nix.it.channels;

import java.util.HashMap;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.ChannelsUpstream;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A nix-proxy follows the channels of an upstream that behaves like channels.nixos.org (a 302 from the channel to
 * an immutable release directory), so clients keep updating when the upstream is gone.
 */
class ChannelsProxyIT
{
  /** The binary-cache upstream of these proxies; channel tests never use it. */
  private static final String UNUSED_CACHE = "http://127.0.0.1:9";

  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp admin;

  private static String password;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    password = nexus.adminPassword();
    admin = RawHttp.basic("admin", password);
  }

  /** A proxy of {@code upstream}'s channels whose pointers are always stale: every request asks the upstream. */
  private static String channelProxy(final ChannelsUpstream upstream) {
    Map<String, Object> request = channelProxyRequest(Names.unique("channels-proxy"), upstream);
    rest.post("/service/rest/v1/repositories/nix/proxy", request).expect(201);
    return rest.repositoryUrl((String) request.get("name"));
  }

  private static Map<String, Object> channelProxyRequest(final String name, final ChannelsUpstream upstream) {
    Map<String, Object> request = NexusRest.nixProxyRequest(name, UNUSED_CACHE, Map.of("channelsUrl", upstream.url()));
    request.put("proxy", Map.of("remoteUrl", UNUSED_CACHE, "contentMaxAge", 1440, "metadataMaxAge", 0));
    return request;
  }

  private static NixClient channelClient(final String name) {
    return NixClient.builder()
        .name(name)
        .netrc("127.0.0.1", "admin", password)
        .option("tarball-ttl", "0")
        .ownChannelsProfile()
        .build();
  }

  private static String hello(final NixClient nix, final String channel) {
    return nix.run("nix-instantiate", "--eval", "-E", "with import <" + channel + "> {}; hello",
        "-I", channel + "=" + nix.channelPath(channel)).assertSuccess().stdout().trim();
  }

  @Test
  void nixChannelUpdatesThroughTheProxyFetchesEachTarballOnceAndWorksOffline() {
    ChannelsUpstream upstream = ChannelsUpstream.start();
    try {
      String v1 = upstream.publish("nixos-99.99", "nixos/99.99", "nixos-99.99.123.abcdef0",
          ChannelTarball.withHello("nixos-99.99.123.abcdef0", "world-1"));
      String proxy = channelProxy(upstream);

      RawHttp.Response pointer = admin.get(proxy + "/channels/nixos-99.99");
      assertThat(pointer.status()).as(pointer.toString()).isEqualTo(302);
      // the local snapshot URL, its flavor read from the upstream's release path
      assertThat(pointer.header("Location")).isEqualTo(proxy + "/channels/nixos-99.99/nixos/nixos-99.99.123.abcdef0");

      NixClient nix = channelClient("proxy-subscriber");
      nix.run("nix-channel", "--add", proxy + "/channels/nixos-99.99", "nixos").assertSuccess();
      nix.run("nix-channel", "--update").assertSuccess();
      assertThat(hello(nix, "nixos")).isEqualTo("\"world-1\"");
      nix.run("nix-channel", "--update").assertSuccess();
      assertThat(upstream.count(v1 + "/nixexprs.tar.xz")).as(upstream.requests().toString()).isEqualTo(1);

      // the channel moves upstream; the pointer follows (metadata max age 0)
      String v2 = upstream.publish("nixos-99.99", "nixos/99.99", "nixos-99.99.124.bcdef01",
          ChannelTarball.withHello("nixos-99.99.124.bcdef01", "world-2"));
      nix.run("nix-channel", "--update").assertSuccess();
      assertThat(hello(nix, "nixos")).isEqualTo("\"world-2\"");
      assertThat(upstream.count(v2 + "/nixexprs.tar.xz")).isEqualTo(1);

      // upstream gone: the last known snapshot, from the cache
      upstream.close();
      nix.run("nix-channel", "--update").assertSuccess();
      assertThat(hello(nix, "nixos")).isEqualTo("\"world-2\"");
      assertThat(admin.get(proxy + "/channels/nixos-99.99").header("Location"))
          .isEqualTo(proxy + "/channels/nixos-99.99/nixos/nixos-99.99.124.bcdef01");
      // the older snapshot stays pinnable
      assertThat(admin.get(proxy + "/channels/nixos-99.99/nixos/nixos-99.99.123.abcdef0/nixexprs.tar.xz").status())
          .isEqualTo(200);
      assertThat(admin.get(proxy + "/channels/nixos-99.99/").bodyText())
          .contains("nixos-99.99.124.bcdef01", "nixos-99.99.123.abcdef0");
    }
    finally {
      upstream.close();
    }
  }

  @Test
  void inOfflineModeTheProxyServesWhatItHasAndNothingElse() {
    try (ChannelsUpstream upstream = ChannelsUpstream.start()) {
      String release = upstream.publish("nixos-98.98", "nixos/98.98", "nixos-98.98.1.aaaaaaa",
          ChannelTarball.withHello("nixos-98.98.1.aaaaaaa", "cached"));
      upstream.publish("nixos-97.97", "nixos/97.97", "nixos-97.97.1.bbbbbbb",
          ChannelTarball.withHello("nixos-97.97.1.bbbbbbb", "never fetched"));
      String name = Names.unique("channels-offline");
      Map<String, Object> request = channelProxyRequest(name, upstream);
      rest.post("/service/rest/v1/repositories/nix/proxy", request).expect(201);
      String proxy = rest.repositoryUrl(name);
      String snapshot = proxy + "/channels/nixos-98.98/nixos/nixos-98.98.1.aaaaaaa";
      assertThat(admin.get(proxy + "/channels/nixos-98.98").header("Location")).isEqualTo(snapshot);
      assertThat(admin.get(snapshot + "/nixexprs.tar.xz").status()).isEqualTo(200);

      // "Block outbound connections": an administrator's offline mode, not a failure
      request.put("httpClient", Map.of("blocked", true, "autoBlock", false));
      rest.put("/service/rest/v1/repositories/nix/proxy/" + name, request).expect(204);
      int asked = upstream.requests().size();

      assertThat(admin.get(proxy + "/channels/nixos-98.98").header("Location")).isEqualTo(snapshot);
      assertThat(admin.get(snapshot + "/nixexprs.tar.xz").status()).isEqualTo(200);
      RawHttp.Response unknown = admin.get(proxy + "/channels/nixos-97.97");
      assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
      assertThat(unknown.bodyText()).contains("blocked by configuration");
      assertThat(upstream.requests()).hasSize(asked);
      assertThat(upstream.count(release + "/nixexprs.tar.xz")).isEqualTo(1);
    }
  }

  @Test
  void aChannelTheUpstreamDoesNotKnowIsA404() {
    try (ChannelsUpstream upstream = ChannelsUpstream.start()) {
      String proxy = channelProxy(upstream);

      RawHttp.Response response = admin.get(proxy + "/channels/no-such-channel");

      assertThat(response.status()).isEqualTo(404);
      assertThat(upstream.count("/no-such-channel")).isEqualTo(1);
    }
  }

  @Test
  void anUpstreamFailureWithNothingCachedIsA502NeverA404() {
    try (ChannelsUpstream upstream = ChannelsUpstream.start()) {
      upstream.publish("nixpkgs-unstable", "nixpkgs", "nixpkgs-99.99pre1.abc",
          ChannelTarball.withHello("nixpkgs", "x"));
      String proxy = channelProxy(upstream);
      upstream.failAll(503);

      RawHttp.Response failing = admin.get(proxy + "/channels/nixpkgs-unstable");
      assertThat(failing.status()).as(failing.toString()).isEqualTo(502);
      assertThat(failing.bodyText()).contains("503");

      upstream.failAll(0);
      RawHttp.Response pointer = admin.get(proxy + "/channels/nixpkgs-unstable");
      assertThat(pointer.header("Location"))
          .isEqualTo(proxy + "/channels/nixpkgs-unstable/nixpkgs/nixpkgs-99.99pre1.abc");

      // the snapshot is known but its tarball was never fetched: upstream failing now is a 502 too
      upstream.failAll(500);
      assertThat(admin.get(pointer.header("Location") + "/nixexprs.tar.xz").status()).isEqualTo(502);
    }
  }

  @Test
  void channelsUrlDefaultsToChannelsNixosOrgNullTurnsChannelProxyingOffAndOtherSchemesAreRefused() {
    String byDefault = Names.unique("channels-default");
    rest.createNixProxy(byDefault, UNUSED_CACHE, Map.of());
    JsonNode nix = rest.get("/service/rest/v1/repositories/nix/proxy/" + byDefault).expect(200).json().get("nix");
    assertThat(nix.get("channelsUrl").asText()).isEqualTo("https://channels.nixos.org");

    String off = Names.unique("channels-off");
    Map<String, Object> nixBlock = new HashMap<>();
    nixBlock.put("channelsUrl", null);
    String url = rest.createNixProxy(off, UNUSED_CACHE, nixBlock);
    nix = rest.get("/service/rest/v1/repositories/nix/proxy/" + off).expect(200).json().get("nix");
    assertThat(nix.get("channelsUrl").isNull()).as(nix.toString()).isTrue();
    RawHttp.Response response = admin.get(url + "/channels/nixos-24.11");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.bodyText()).contains("does not proxy channels");

    NexusRest.Response invalid = rest.post("/service/rest/v1/repositories/nix/proxy",
        NexusRest.nixProxyRequest(Names.unique("channels-ftp"), UNUSED_CACHE, Map.of("channelsUrl", "ftp://x")));
    assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
    assertThat(invalid.body()).contains("must be an http(s) URL");
  }

  @Test
  void aProxyTakesNoDeploys() {
    try (ChannelsUpstream upstream = ChannelsUpstream.start()) {
      String proxy = channelProxy(upstream);

      RawHttp.Response response = admin.put(proxy + "/channels/c/nixpkgs/s1", null, new byte[]{1});

      assertThat(response.status()).isEqualTo(405);
    }
  }
}
