package org.sonatype.nexus.repository.nix.it.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.ChannelsUpstream;
import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ForeignOrigin;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.RegistryUpstream;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer.Fault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A proxy fetches only from the origins its administrator chose (the remote's, the channels and flake registry
 * upstreams', nix.allowedUpstreamOrigins): a narinfo's URL or a redirect elsewhere is refused with a 502 that says
 * why, and nothing, least of all the remote's credentials, is sent there. Each proxy here has credentials for its
 * remote; the foreign hosts ask for credentials (401 with a Basic challenge), as a server that wants them would.
 */
class ProxyUpstreamOriginsIT
{
  private NexusServer nexus;

  private RawHttp http;

  private StaticCacheServer upstream;

  private ForeignOrigin foreign;

  private String rootHash;

  @BeforeEach
  void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    http = RawHttp.basic("admin", nexus.adminPassword());
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("origins"));
    upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd", fresh.paths());
    foreign = ForeignOrigin.start().serving(upstream.dir()).challenging();
    rootHash = fresh.root().substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  @AfterEach
  void tearDown() {
    upstream.close();
    foreign.close();
  }

  @Test
  void aNarInfoUrlOnAnotherHostIsRefusedWithAReasonAndNothingIsSentThere() throws IOException {
    pointNarInfoAt(foreign.url() + "/");
    String proxy = proxyWithCredentials(null);

    assertThat(http.get(proxy + "/" + rootHash + ".narinfo").status()).isEqualTo(200);
    RawHttp.Response nar = http.get(proxy + "/" + narUrl(proxy));

    assertThat(nar.status()).as(nar.toString()).isEqualTo(502);
    assertThat(nar.bodyText()).contains(foreign.url()).contains("is none of this proxy's upstreams")
        .contains("nix.allowedUpstreamOrigins");
    assertThat(foreign.seen()).as("requests the foreign host got").isEmpty();
  }

  @Test
  void redirectsOfNarInfosAndNarsToAnotherHostAreNotFollowed() {
    String proxy = proxyWithCredentials(null);
    upstream.faults(request -> request.path().endsWith(".narinfo")
        ? Fault.redirect(foreign.url() + request.path()) : Fault.NONE);
    RawHttp.Response narInfo = http.get(proxy + "/" + rootHash + ".narinfo");
    assertThat(narInfo.status()).as(narInfo.toString()).isEqualTo(502);
    assertThat(narInfo.bodyText()).contains("redirected").contains("not followed")
        .contains("nix.allowedUpstreamOrigins");

    upstream.faults(request -> request.path().startsWith("/nar/")
        ? Fault.redirect(foreign.url() + request.path()) : Fault.NONE);
    assertThat(http.get(proxy + "/" + rootHash + ".narinfo").status()).isEqualTo(200);
    RawHttp.Response nar = http.get(proxy + "/" + narUrl(proxy));
    assertThat(nar.status()).as(nar.toString()).isEqualTo(502);
    assertThat(nar.bodyText()).contains("not followed");

    assertThat(foreign.seen()).as("requests the foreign host got").isEmpty();
  }

  @Test
  void anAllowedOriginServesNarsButNeverGetsTheRemotesCredentials() {
    try (ForeignOrigin bucket = ForeignOrigin.start().serving(upstream.dir())) {
      String proxy = proxyWithCredentials(List.of(foreign.url(), bucket.url()));
      assertThat(http.get(proxy + "/" + rootHash + ".narinfo").status()).isEqualTo(200);
      String nar = narUrl(proxy);
      String other = narUrlOfAnotherPath(proxy);

      // like attic on S3: the NAR is a redirect to a presigned URL on another host
      upstream.faults(request -> request.path().startsWith("/nar/")
          ? Fault.redirect(bucket.url() + request.path()) : Fault.NONE);
      RawHttp.Digest fetched = http.getDigest(proxy + "/" + nar);
      assertThat(fetched.status()).isEqualTo(200);
      assertThat(bucket.seen()).isNotEmpty().allMatch(seen -> seen.authorization().equals("none"));

      // an allowed host that asks for credentials does not get the remote's
      upstream.faults(request -> request.path().startsWith("/nar/")
          ? Fault.redirect(foreign.url() + request.path()) : Fault.NONE);
      RawHttp.Response refused = http.get(proxy + "/" + other);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(502);
      assertThat(refused.bodyText()).contains("401");
      assertThat(foreign.seen()).isNotEmpty().allMatch(seen -> seen.authorization().equals("none"));
    }
  }

  @Test
  void channelRedirectsGoOnlyToAllowedOriginsAndThenWork() {
    try (ChannelsUpstream releases = ChannelsUpstream.start(); ForeignOrigin channels = ForeignOrigin.start()) {
      String release = releases.publish("nixos-99.99", "nixos/99.99", "nixos-99.99.7.abcdef7",
          ChannelTarball.withHello("nixos-99.99.7.abcdef7", "world-7"));
      // like channels.nixos.org: the channel redirects to a release directory on another host
      channels.redirect("/nixos-99.99", releases.url() + release);
      String name = Names.unique("origins-channels");
      Map<String, Object> nix = new LinkedHashMap<>();
      nix.put("channelsUrl", channels.url());
      Map<String, Object> body = NexusRest.nixProxyRequest(name, upstream.url(), nix);
      body.put("proxy", Map.of("remoteUrl", upstream.url(), "contentMaxAge", 1440, "metadataMaxAge", 0));
      nexus.rest().post("/service/rest/v1/repositories/nix/proxy", body).expect(201);
      String proxy = nexus.rest().repositoryUrl(name);

      RawHttp.Response refused = http.get(proxy + "/channels/nixos-99.99");
      assertThat(refused.status()).as(refused.toString()).isEqualTo(502);
      assertThat(refused.bodyText()).contains(releases.url()).contains("nix.allowedUpstreamOrigins");
      assertThat(releases.requests()).isEmpty();

      nix.put("allowedUpstreamOrigins", List.of(releases.url()));
      nexus.rest().put("/service/rest/v1/repositories/nix/proxy/" + name,
          withProxy(NexusRest.nixProxyRequest(name, upstream.url(), nix), upstream.url())).expect(204);
      RawHttp.Response pointer = http.get(proxy + "/channels/nixos-99.99");
      assertThat(pointer.status()).as(pointer.toString()).isEqualTo(302);
      assertThat(http.get(pointer.header("Location") + "/nixexprs.tar.xz").status()).isEqualTo(200);
      assertThat(releases.count(release + "/nixexprs.tar.xz")).isEqualTo(1);
    }
  }

  @Test
  void aFlakeRegistryRedirectToAnotherHostIsNotFollowed() {
    try (RegistryUpstream registry = RegistryUpstream.start(); ForeignOrigin redirector = ForeignOrigin.start()) {
      redirector.redirect(RegistryUpstream.PATH, registry.url());
      String proxy = nexus.rest().createNixProxy(Names.unique("origins-registry"), upstream.url(),
          Map.of("flakeRegistryUrl", redirector.url() + RegistryUpstream.PATH));

      RawHttp.Response refused = http.get(proxy + "/flake-registry.json");

      assertThat(refused.status()).as(refused.toString()).isEqualTo(502);
      assertThat(refused.bodyText()).contains("not followed").contains("nix.allowedUpstreamOrigins");
      assertThat(registry.requests()).isZero();
    }
  }

  @Test
  void allowedOriginsMustBeOriginsAndAreShownAsSet() {
    String name = Names.unique("origins-settings");
    NexusRest.Response invalid = nexus.rest().post("/service/rest/v1/repositories/nix/proxy",
        NexusRest.nixProxyRequest(name, upstream.url(), Map.of("allowedUpstreamOrigins",
            List.of("https://ok.example.com", "https://cache.example.com/some/path"))));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body()).contains("nix.allowedUpstreamOrigins entry 2");

    nexus.rest().createNixProxy(name, upstream.url(), Map.of());
    assertThat(nexus.rest().get("/service/rest/v1/repositories/nix/proxy/" + name).expect(200).json()
        .get("nix").get("allowedUpstreamOrigins").toString()).isEqualTo("[\"https://releases.nixos.org\"]");
  }

  // ---- helpers

  /** A proxy of the static cache with credentials for it; {@code allowed}: nix.allowedUpstreamOrigins if not null. */
  private String proxyWithCredentials(final List<String> allowed) {
    String name = Names.unique("origins");
    Map<String, Object> nix = new LinkedHashMap<>();
    if (allowed != null) {
      nix.put("allowedUpstreamOrigins", allowed);
    }
    Map<String, Object> body = NexusRest.nixProxyRequest(name, upstream.url(), nix);
    body.put("httpClient", Map.of("blocked", false, "autoBlock", false, "authentication",
        Map.of("type", "username", "username", "remote-user", "password", "remote-password")));
    nexus.rest().post("/service/rest/v1/repositories/nix/proxy", body).expect(201);
    return nexus.rest().repositoryUrl(name);
  }

  private static Map<String, Object> withProxy(final Map<String, Object> body, final String remoteUrl) {
    body.put("proxy", Map.of("remoteUrl", remoteUrl, "contentMaxAge", 1440, "metadataMaxAge", 0));
    return body;
  }

  /** Rewrites the root's narinfo upstream so its URL is absolute, on {@code base} (the signature does not cover it). */
  private void pointNarInfoAt(final String base) throws IOException {
    Path narInfo = upstream.dir().resolve(rootHash + ".narinfo");
    String text = Files.readString(narInfo, UTF_8).replaceFirst("(?m)^URL: ", "URL: " + base);
    Files.writeString(narInfo, text, UTF_8);
  }

  /** The NAR URL the proxy's narinfo of the root gives. */
  private String narUrl(final String proxy) {
    return urlLine(http.get(proxy + "/" + rootHash + ".narinfo").bodyText());
  }

  /** The NAR URL of a store path in the cache other than the root (so it is not cached yet). */
  private String narUrlOfAnotherPath(final String proxy) {
    try (var files = Files.list(upstream.dir())) {
      String other = files.map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".narinfo") && !f.startsWith(rootHash))
          .findFirst().orElseThrow();
      return urlLine(http.get(proxy + "/" + other).bodyText());
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String urlLine(final String narInfo) {
    return narInfo.lines().filter(line -> line.startsWith("URL: ")).findFirst().orElseThrow()
        .substring("URL: ".length());
  }
}
