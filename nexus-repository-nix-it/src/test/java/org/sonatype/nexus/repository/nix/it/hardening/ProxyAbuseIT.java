package org.sonatype.nexus.repository.nix.it.hardening;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer.Fault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstreams that misbehave on purpose: a byte a second, connections reset, redirect loops, a path missing and then
 * published. No bad data is cached, the client gets an error it retries, and requests held up by a bad upstream never
 * stop other repositories from being served.
 */
class ProxyAbuseIT
{
  private NexusServer nexus;

  private RawHttp http;

  private StaticCacheServer upstream;

  private String proxy;

  private String rootHash;

  private ClosureGenerator.Fresh fresh;

  @BeforeEach
  void setUp() {
    nexus = NexusServer.get();
    http = RawHttp.basic("admin", nexus.adminPassword());
    fresh = ClosureGenerator.get().fresh(Names.unique("abuse"));
    upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd", fresh.paths());
    proxy = proxy(upstream.url(), true);
    rootHash = fresh.root().substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  @AfterEach
  void tearDown() {
    upstream.close();
  }

  @Test
  void anUpstreamTricklingAByteASecondIsATimeoutAndOtherRepositoriesKeepServing() throws Exception {
    upstream.faults(request -> request.path().endsWith(".narinfo") ? Fault.throttle(1) : Fault.NONE);
    String hosted = nexus.rest().createNixHosted(Names.unique("bystander"));

    List<CompletableFuture<RawHttp.Response>> stuck = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stuck.add(CompletableFuture.supplyAsync(() -> http.get(proxy + "/" + rootHash + ".narinfo")));
    }
    Thread.sleep(1000);
    Instant begin = Instant.now();
    assertThat(http.get(hosted + "/nix-cache-info").status()).isEqualTo(200);
    assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(3));

    for (CompletableFuture<RawHttp.Response> request : stuck) {
      RawHttp.Response response = request.get();
      assertThat(response.status()).as(response.toString()).isEqualTo(504);
    }
    upstream.faults(null);
    assertThat(http.get(proxy + "/" + rootHash + ".narinfo").status()).as("nothing bad was cached").isEqualTo(200);
  }

  @Test
  void aResetConnectionIsABadGatewayAndNotCached() {
    upstream.faults(request -> Fault.truncate(0));

    RawHttp.Response reset = http.get(proxy + "/" + rootHash + ".narinfo");
    upstream.faults(null);

    assertThat(reset.status()).isEqualTo(502);
    assertThat(http.get(proxy + "/" + rootHash + ".narinfo").status()).isEqualTo(200);
  }

  @Test
  void aRedirectLoopIsABadGateway() {
    upstream.faults(request -> Fault.redirect(request.path()));

    RawHttp.Response loop = http.get(proxy + "/" + rootHash + ".narinfo");

    assertThat(loop.status()).isEqualTo(502);
    assertThat(nexus.rest().get("/service/rest/v1/assets?repository=" + name(proxy)).expect(200).body())
        .doesNotContain(".narinfo");
  }

  @Test
  void aPathMissingUpstreamAndPublishedLaterIsServedOnceItExists() throws Exception {
    String uncached = proxy(upstream.url(), false);
    byte[] narInfo = Files.readAllBytes(upstream.dir().resolve(rootHash + ".narinfo"));
    Files.delete(upstream.dir().resolve(rootHash + ".narinfo"));

    RawHttp.Response missing = http.get(uncached + "/" + rootHash + ".narinfo");
    Files.write(upstream.dir().resolve(rootHash + ".narinfo"), narInfo);
    RawHttp.Response published = http.get(uncached + "/" + rootHash + ".narinfo");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(published.status()).as("without a negative cache, the next request asks again").isEqualTo(200);
  }

  // ---- helpers

  private String proxy(final String remote, final boolean negativeCache) {
    String name = Names.unique("proxy-abuse");
    Map<String, Object> body = NexusRest.nixProxyRequest(name, remote, Map.of());
    body.put("negativeCache", Map.of("enabled", negativeCache, "timeToLive", 1440));
    body.put("httpClient", Map.of("blocked", false, "autoBlock", false,
        "connection", Map.of("timeout", 3, "retries", 0)));
    nexus.rest().post("/service/rest/v1/repositories/nix/proxy", body).expect(201);
    return nexus.rest().repositoryUrl(name);
  }

  private static String name(final String repositoryUrl) {
    return repositoryUrl.substring(repositoryUrl.lastIndexOf('/') + 1);
  }
}
