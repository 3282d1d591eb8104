package org.sonatype.nexus.repository.nix.it.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer.Fault;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that fails (500s, hangs, a truncated NAR, a NAR with the wrong bytes, a corrupt narinfo) never leaves
 * bad data in the proxy, and the client always sees a retryable 5xx; only the upstream's own "not here" is a 404.
 */
class ProxyUpstreamFaultsIT
{
  private NexusServer nexus;

  private RawHttp http;

  private ClosureGenerator.Fresh fresh;

  private StaticCacheServer upstream;

  private String repository;

  private String proxy;

  private String rootHash;

  @BeforeEach
  void setUp() {
    nexus = NexusServer.get();
    http = RawHttp.basic("admin", nexus.adminPassword());
    fresh = ClosureGenerator.get().fresh(Names.unique("faults"));
    upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd", fresh.paths());
    repository = Names.unique("proxy-faults");
    // a short socket timeout so a hanging upstream costs seconds, not the default minute
    Map<String, Object> body = NexusRest.nixProxyRequest(repository, upstream.url(), Map.of());
    body.put("httpClient", Map.of("blocked", false, "autoBlock", false,
        "connection", Map.of("timeout", 3, "retries", 0)));
    nexus.rest().post("/service/rest/v1/repositories/nix/proxy", body).expect(201);
    proxy = nexus.rest().repositoryUrl(repository);
    rootHash = fresh.root().substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  @AfterEach
  void tearDown() {
    upstream.close();
  }

  @Test
  void anUpstreamErrorIsABadGatewayAndNothingIsCached() {
    upstream.faults(request -> Fault.status(500));

    RawHttp.Response failed = http.get(proxy + "/" + rootHash + ".narinfo");
    upstream.faults(null);
    RawHttp.Response recovered = http.get(proxy + "/" + rootHash + ".narinfo");

    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.bodyText()).contains("500");
    assertThat(recovered.status()).as("the failure was not remembered").isEqualTo(200);
  }

  @Test
  void aHangingUpstreamIsAGatewayTimeout() {
    upstream.faults(request -> Fault.hang());

    RawHttp.Response failed = http.get(proxy + "/" + rootHash + ".narinfo");

    assertThat(failed.status()).isEqualTo(504);
    assertThat(assets()).isEmpty();
  }

  @Test
  void anUpstreamMissIsNotFoundAndNegativelyCached() {
    String missing = "0".repeat(32) + ".narinfo";

    RawHttp.Response first = http.get(proxy + "/" + missing);
    RawHttp.Response second = http.get(proxy + "/" + missing);

    assertThat(first.status()).isEqualTo(404);
    assertThat(second.status()).isEqualTo(404);
    assertThat(upstream.count("/" + missing)).as("the second miss came from the negative cache").isEqualTo(1);
    assertThat(second.header("Content-Type")).as("not Nexus's HTML error page: " + second).startsWith("text/plain");
    assertThat(first.bodyText()).contains("does not have " + missing);
    assertThat(second.bodyText()).contains("does not have " + missing)
        .contains("remembered by this proxy's negative cache");
  }

  @Test
  void aNarAskedForBeforeItsNarInfoIsPassedThroughByItsNameAndCachedOnceTheNarInfoIsThere() throws IOException {
    // nix copy names the NAR after its FileHash, the name this proxy gives it too: the name says what it is
    String nar = narUrlUpstream();

    RawHttp.Response early = http.get(proxy + "/" + nar);
    List<String> cachedEarly = assets();
    RawHttp.Response narInfo = http.get(proxy + "/" + rootHash + ".narinfo");
    RawHttp.Response late = http.get(proxy + "/" + nar);

    assertThat(early.status()).as(early.toString()).isEqualTo(200);
    assertThat(early.body()).isEqualTo(Files.readAllBytes(upstream.dir().resolve(nar)));
    assertThat(cachedEarly).as("a NAR is cached with its narinfo").noneMatch(path -> path.contains("nar/"));
    assertThat(narInfo.status()).isEqualTo(200);
    assertThat(late.status()).isEqualTo(200);
    assertThat(assets()).anyMatch(path -> path.endsWith(nar));
  }

  @Test
  void aNarTheUpstreamLackedBeforeItsNarInfoIsServedOnceTheNarInfoIsThere() {
    String nar = narUrlUpstream();
    upstream.faults(request -> request.path().startsWith("/nar/") ? Fault.status(404) : Fault.NONE);
    RawHttp.Response early = http.get(proxy + "/" + nar);
    upstream.faults(null);

    RawHttp.Response narInfo = http.get(proxy + "/" + rootHash + ".narinfo");
    RawHttp.Response late = http.get(proxy + "/" + nar);

    assertThat(early.status()).isEqualTo(404);
    assertThat(narInfo.status()).isEqualTo(200);
    assertThat(late.status()).as("the negative cache (time to live 1440 minutes) did not keep the early 404")
        .isEqualTo(200);
  }

  @Test
  void aNarPassedThroughWithoutItsNarInfoWithTheWrongBytesIsABrokenTransfer() throws IOException {
    String nar = narUrlUpstream();
    Path file = upstream.dir().resolve(nar);
    byte[] wrong = Files.readAllBytes(file);
    wrong[wrong.length / 2] ^= 0x55;
    Files.write(file, wrong);

    String outcome = outcomeOf(nar, wrong.length);

    assertThat(outcome).as("the client did not get a whole NAR").isNotEqualTo("whole");
    assertThat(assets()).noneMatch(path -> path.contains("nar/"));
  }

  @Test
  void aCorruptUpstreamNarInfoIsABadGatewayAndNotCached() throws IOException {
    Path narInfo = upstream.dir().resolve(rootHash + ".narinfo");
    String good = Files.readString(narInfo);
    Files.writeString(narInfo, good.replace("NarHash: sha256:", "NarHash: "));

    RawHttp.Response corrupt = http.get(proxy + "/" + rootHash + ".narinfo");
    Files.writeString(narInfo, good);
    RawHttp.Response fixed = http.get(proxy + "/" + rootHash + ".narinfo");

    assertThat(corrupt.status()).isEqualTo(502);
    assertThat(corrupt.bodyText()).contains("corrupt");
    assertThat(fixed.status()).isEqualTo(200);
  }

  @Test
  void aTruncatedNarIsNeverCached() {
    String narUrl = narUrlThroughProxy();
    upstream.faults(request -> request.path().startsWith("/nar/") ? Fault.truncate(10) : Fault.NONE);

    String outcome = outcomeOf(narUrl, sizeOf(narUrl));
    upstream.faults(null);

    assertThat(outcome).as("the client did not get a whole NAR").isNotEqualTo("whole");
    assertThat(assets()).noneMatch(path -> path.contains("nar/"));
    assertThat(http.get(proxy + "/" + narUrl).status()).as("fetched again once the upstream is healthy")
        .isEqualTo(200);
  }

  @Test
  void aNarWithTheWrongBytesIsNeverCachedAndTheClientRetries() throws IOException {
    String narUrl = narUrlThroughProxy();
    Path nar = upstream.dir().resolve(narUrl);
    byte[] good = Files.readAllBytes(nar);
    byte[] wrong = good.clone();
    wrong[wrong.length / 2] ^= 0x55;
    Files.write(nar, wrong);

    String outcome = outcomeOf(narUrl, wrong.length);
    NixClient.Result substitution = NixClient.builder().name("victim")
        .netrc("127.0.0.1", "admin", nexus.adminPassword()).build()
        .run(NixClient.realiseArgs(ItDirs.newTempDir("store"), proxy, List.of(fresh.root()), false),
            NixClient.DEFAULT_TIMEOUT);

    assertThat(outcome).as("the client did not get a whole NAR").isNotEqualTo("whole");
    assertThat(substitution.ok()).as(substitution.toString()).isFalse();
    assertThat(assets()).noneMatch(path -> path.equals("/" + narUrl) || path.equals(narUrl));
    Files.write(nar, good);
    assertThat(http.get(proxy + "/" + narUrl).status()).isEqualTo(200);
  }

  @Test
  void aProxyBlockedByConfigurationServesItsCacheAndFindsNothingElse() {
    assertThat(http.get(proxy + "/" + rootHash + ".narinfo").status()).isEqualTo(200);
    Map<String, Object> body = NexusRest.nixProxyRequest(repository, upstream.url(), Map.of());
    body.put("httpClient", Map.of("blocked", true, "autoBlock", false));
    nexus.rest().put("/service/rest/v1/repositories/nix/proxy/" + repository, body).expect(204);

    RawHttp.Response cached = http.get(proxy + "/" + rootHash + ".narinfo");
    RawHttp.Response uncached = http.get(proxy + "/" + "3".repeat(32) + ".narinfo");

    assertThat(cached.status()).isEqualTo(200);
    assertThat(uncached.status()).as("offline mode is an administrator's decision, not a failure").isEqualTo(404);
    assertThat(uncached.bodyText()).contains("blocked by configuration");
  }

  // ---- helpers

  /** The NAR URL the root's narinfo names upstream, read from the upstream's files (the proxy is not asked). */
  private String narUrlUpstream() {
    try {
      return Files.readString(upstream.dir().resolve(rootHash + ".narinfo")).lines()
          .filter(line -> line.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());
    }
    catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Fetches the root's narinfo through the proxy and returns the NAR URL it names (in the proxy). */
  private String narUrlThroughProxy() {
    String text = http.get(proxy + "/" + rootHash + ".narinfo").bodyText();
    return text.lines().filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());
  }

  /** "whole" if a GET of the NAR through the proxy got 200 and every byte, else what it got. */
  private String outcomeOf(final String narUrl, final long size) {
    try {
      RawHttp.Response response = http.get(proxy + "/" + narUrl);
      return response.status() == 200 && response.body().length == size ? "whole" : response.toString();
    }
    catch (java.io.UncheckedIOException e) {
      return "broken transfer: " + e.getCause(); // what a client must see: it retries
    }
  }

  private long sizeOf(final String narUrl) {
    try {
      return Files.size(upstream.dir().resolve(narUrl));
    }
    catch (IOException e) {
      return -1;
    }
  }

  private List<String> assets() {
    JsonNode items = nexus.rest().get("/service/rest/v1/assets?repository=" + repository).expect(200).json()
        .get("items");
    List<String> paths = new java.util.ArrayList<>();
    items.forEach(item -> paths.add(item.get("path").asText()));
    return paths;
  }
}
