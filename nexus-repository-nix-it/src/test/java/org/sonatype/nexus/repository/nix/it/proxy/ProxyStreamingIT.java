package org.sonatype.nexus.repository.nix.it.proxy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer.Fault;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large NARs stream to the client while the proxy fetches them: Nix gives up on a transfer that sends nothing for
 * 300 s, so a proxy that downloads a whole NAR before answering breaks big substitutions from slow upstreams.
 */
class ProxyStreamingIT
{
  private static final long ONE_GIB = 1024L * 1024 * 1024;

  private static final long TWENTY_MB_PER_SECOND = 20L * 1000 * 1000;

  @Test
  void aOneGibNarFromASlowUpstreamStartsArrivingWithinSeconds() throws Exception {
    NexusServer nexus = NexusServer.get();
    String path = ClosureGenerator.get().largePath(ONE_GIB);
    String hash = path.substring("/nix/store/".length(), "/nix/store/".length() + 32);
    try (StaticCacheServer upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "none", List.of(path))) {
      upstream.faults(request -> request.path().startsWith("/nar/") ? Fault.throttle(TWENTY_MB_PER_SECOND) : Fault.NONE);
      String repository = Names.unique("proxy-stream");
      String proxy = nexus.rest().createNixProxy(repository, upstream.url(), Map.of());
      String narUrl = RawHttp.basic("admin", nexus.adminPassword()).get(proxy + "/" + hash + ".narinfo").bodyText()
          .lines().filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());

      HttpRequest request = HttpRequest.newBuilder(URI.create(proxy + "/" + narUrl))
          .header("Authorization", NexusRest.basicAuth("admin", nexus.adminPassword())).build();
      Instant begin = Instant.now();
      HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
          HttpResponse.BodyHandlers.ofInputStream());
      long firstByteMillis;
      long received = 0;
      try (InputStream body = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        int n = body.read(buffer);
        firstByteMillis = Duration.between(begin, Instant.now()).toMillis();
        received += Math.max(n, 0);
        // read ~2 s worth, then hang up: the point is when bytes start flowing, not the 50 s transfer
        while (received < 2 * TWENTY_MB_PER_SECOND && (n = body.read(buffer)) > 0) {
          received += n;
        }
      }
      System.out.printf("[nexus-it] proxy streaming: 1 GiB NAR from a 20 MB/s upstream, first byte after %d ms%n",
          firstByteMillis);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValueAsLong("Content-Length").orElse(-1)).isGreaterThan(ONE_GIB);
      assertThat(firstByteMillis).isLessThan(5000);
      assertThat(received).isGreaterThanOrEqualTo(2 * TWENTY_MB_PER_SECOND);
      // an abandoned transfer leaves no partial NAR behind
      assertThat(nexus.rest().get("/service/rest/v1/assets?repository=" + repository).expect(200).body())
          .doesNotContain("nar/");
    }
  }

  @Test
  void aThrottledNarStreamedToTheEndIsCachedAndServedFromTheCache() throws Exception {
    NexusServer nexus = NexusServer.get();
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("stream-small"));
    try (StaticCacheServer upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd", fresh.paths())) {
      upstream.faults(request -> request.path().startsWith("/nar/") ? Fault.throttle(100_000) : Fault.NONE);
      String proxy = nexus.rest().createNixProxy(Names.unique("proxy-stream-small"), upstream.url(), Map.of());
      NixClient client = NixClient.builder().name("streamer").netrc("127.0.0.1", "admin", nexus.adminPassword())
          .build();

      client.realiseInto(ItDirs.newTempDir("store"), proxy, List.of(fresh.root()), false);
      int narRequests = upstream.countEndingWith(".zst");
      client.realiseInto(ItDirs.newTempDir("store"), proxy, List.of(fresh.root()), false);

      assertThat(narRequests).isEqualTo(2);
      assertThat(upstream.countEndingWith(".zst")).as("the second substitution's NARs came from the proxy")
          .isEqualTo(narRequests);
    }
  }

  @Test
  void clientsAskingForTheSameUncachedNarAtOnceShareOneUpstreamRequest() throws Exception {
    NexusServer nexus = NexusServer.get();
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("stream-shared"));
    String hash = fresh.root().substring("/nix/store/".length(), "/nix/store/".length() + 32);
    try (StaticCacheServer upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd", fresh.paths())) {
      // the upstream takes its time to answer, so every client asks while the first transfer is under way
      upstream.faults(request -> request.path().startsWith("/nar/") ? Fault.delay(Duration.ofSeconds(2))
          : Fault.NONE);
      String proxy = nexus.rest().createNixProxy(Names.unique("proxy-shared"), upstream.url(), Map.of());
      RawHttp http = RawHttp.basic("admin", nexus.adminPassword());
      String narUrl = http.get(proxy + "/" + hash + ".narinfo").bodyText().lines()
          .filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());
      String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(upstream.dir().resolve(narUrl))));

      int clients = 8;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<RawHttp.Digest>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          answers.add(pool.submit(() -> http.getDigest(proxy + "/" + narUrl)));
        }
        for (Future<RawHttp.Digest> answer : answers) {
          RawHttp.Digest digest = answer.get(2, TimeUnit.MINUTES);
          assertThat(digest.status()).isEqualTo(200);
          assertThat(digest.sha256Hex()).isEqualTo(expected);
        }
      }
      finally {
        pool.shutdownNow();
      }

      assertThat(upstream.count("/" + narUrl)).as(upstream.requests().toString()).isEqualTo(1);
      assertThat(http.getDigest(proxy + "/" + narUrl).sha256Hex()).as("served from the cache").isEqualTo(expected);
      assertThat(upstream.count("/" + narUrl)).isEqualTo(1);
    }
  }
}
