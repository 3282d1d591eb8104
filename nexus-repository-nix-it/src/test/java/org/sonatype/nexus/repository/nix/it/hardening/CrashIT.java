package org.sonatype.nexus.repository.nix.it.hardening;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

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
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of Nexus in the middle of a large NAR upload and in the middle of a proxy fetch (each test confirms
 * the kill came mid-transfer: the push failed with part of the NAR on disk, the client had part of the NAR): after
 * the restart nothing partial is visible, the integrity check finds nothing wrong, and pushing or fetching again works.
 */
class CrashIT
{
  private static final long UPLOAD_BYTES = 512L * 1024 * 1024;

  private static final long PROXIED_BYTES = 1024L * 1024 * 1024;

  @Test
  void killedDuringALargeNarUploadNothingPartialIsVisibleAndPushingAgainWorks() throws Exception {
    NexusServer nexus = NexusServer.get();
    String path = ClosureGenerator.get().largePath(UPLOAD_BYTES);
    String repository = Names.unique("hosted-crash");
    String url = nexus.rest().createNixHosted(repository);
    settle();

    NixClient pusher = client("crash-pusher", nexus);
    CompletableFuture<NixClient.Result> push = CompletableFuture.supplyAsync(() ->
        pusher.run(List.of("nix", "copy", "--to", url + "?compression=none", path), Duration.ofMinutes(5)));
    awaitUploadInProgress(nexus);
    nexus.killHard();
    long partial = largestTemporaryBlob(nexus);
    NixClient.Result pushed = push.get();
    // mid-transfer: part of the NAR had reached the blob store, and the push did not complete
    assertThat(partial).as("bytes of the NAR on disk at the kill").isGreaterThan(64L << 20).isLessThan(UPLOAD_BYTES);
    assertThat(pushed.ok()).as("the push, killed mid-transfer: %s", pushed).isFalse();
    nexus.start();

    RawHttp http = RawHttp.basic("admin", nexus.adminPassword());
    assertThat(http.get(url + "/" + hash(path) + ".narinfo").status()).isEqualTo(404);
    assertThat(assetsNotHashNamedAsTheyHash(nexus.rest(), repository)).isEmpty();
    assertThat(integrityProblems(nexus.rest(), repository)).isZero();

    client("crash-pusher-again", nexus).copyTo(url + "?compression=none", List.of(path));
    Path store = ItDirs.newTempDir("crash-store");
    client("crash-reader", nexus).realiseInto(store, url, List.of(path), false);
    assertThat(NixClient.inStore(store, path)).exists();
    ItDirs.deleteTree(store);
  }

  @Test
  void killedDuringAProxyFetchNothingPartialIsCachedAndFetchingAgainWorks() throws Exception {
    NexusServer nexus = NexusServer.get();
    String path = ClosureGenerator.get().largePath(PROXIED_BYTES);
    try (StaticCacheServer upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "none", List.of(path))) {
      upstream.faults(request -> request.path().startsWith("/nar/") ? Fault.throttle(50_000_000) : Fault.NONE);
      String repository = Names.unique("proxy-crash");
      String proxy = nexus.rest().createNixProxy(repository, upstream.url(), Map.of());
      RawHttp http = RawHttp.basic("admin", nexus.adminPassword());
      String narUrl = http.get(proxy + "/" + hash(path) + ".narinfo").bodyText().lines()
          .filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());
      settle();

      AtomicLong arriving = new AtomicLong();
      CompletableFuture<Long> fetch = CompletableFuture.supplyAsync(() -> read(proxy + "/" + narUrl, nexus,
          arriving));
      awaitArriving(arriving, 16L << 20);
      nexus.killHard();
      long received = fetch.get();
      // mid-transfer: the client had part of the NAR when the connection died
      assertThat(received).as("bytes of the NAR the client got before the kill").isGreaterThanOrEqualTo(16L << 20)
          .isLessThan(PROXIED_BYTES);
      nexus.start();
      upstream.faults(null);

      RawHttp afterRestart = RawHttp.basic("admin", nexus.adminPassword());
      assertThat(nexus.rest().get("/service/rest/v1/assets?repository=" + repository).expect(200).body())
          .doesNotContain("nar/");
      assertThat(integrityProblems(nexus.rest(), repository)).isZero();
      RawHttp.Digest whole = afterRestart.getDigest(proxy + "/" + narUrl);
      assertThat(whole.status()).isEqualTo(200);
      assertThat(whole.length()).isGreaterThan(PROXIED_BYTES);
    }
  }

  // ---- helpers

  /** H2 writes to disk with a delay: let the repository's creation reach the disk before pulling the plug. */
  private static void settle() throws InterruptedException {
    Thread.sleep(2500);
  }

  /** Waits until Nexus is writing a large temporary blob (the upload has reached the blob store). */
  private static void awaitUploadInProgress(final NexusServer nexus) throws Exception {
    Path tmp = nexus.dataDir().resolve("blobs/default/content/tmp");
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      if (java.nio.file.Files.isDirectory(tmp)) {
        try (var files = java.nio.file.Files.list(tmp)) {
          if (files.anyMatch(f -> f.toFile().length() > 64L * 1024 * 1024)) {
            return;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the upload never reached the blob store");
  }

  /** The largest temporary blob on disk: what had arrived of an upload. */
  private static long largestTemporaryBlob(final NexusServer nexus) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(nexus.dataDir().resolve("blobs/default/content/tmp"))) {
      return files.mapToLong(f -> f.toFile().length()).max().orElse(0);
    }
  }

  private static void awaitArriving(final AtomicLong arriving, final long bytes) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (arriving.get() < bytes) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the proxy never started sending the NAR (" + arriving.get() + " bytes)");
      }
      Thread.sleep(20);
    }
  }

  /** Reads from a URL until the connection dies, counting in {@code arriving}; returns how much arrived. */
  private static long read(final String url, final NexusServer nexus, final AtomicLong arriving) {
    long count = 0;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", NexusRest.basicAuth("admin", nexus.adminPassword())).build();
      try (InputStream body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream())
          .body()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = body.read(buffer)) >= 0; ) {
          count += n;
          arriving.addAndGet(n);
        }
      }
    }
    catch (Exception e) {
      // the server died: expected
    }
    return count;
  }

  /** NAR assets whose content does not hash to the name they are stored under (a partial upload would not). */
  private static List<String> assetsNotHashNamedAsTheyHash(final NexusRest rest, final String repository) {
    List<String> wrong = new java.util.ArrayList<>();
    for (JsonNode asset : rest.get("/service/rest/v1/assets?repository=" + repository).expect(200).json()
        .get("items")) {
      String assetPath = asset.get("path").asText();
      if (assetPath.contains("nar/")) {
        String name = assetPath.substring(assetPath.lastIndexOf('/') + 1);
        String nix32 = name.substring(0, name.indexOf('.'));
        String sha256 = asset.get("checksum").get("sha256").asText();
        if (!nix32.equals(org.sonatype.nexus.repository.nix.protocol.NixHash.of(
            org.sonatype.nexus.repository.nix.protocol.NixHashType.SHA256,
            java.util.HexFormat.of().parseHex(sha256)).toNix32())) {
          wrong.add(assetPath);
        }
      }
    }
    return wrong;
  }

  private static int integrityProblems(final NexusRest rest, final String repository) throws InterruptedException {
    rest.post("/service/rest/v1/nix/" + repository + "/integrity-check?verifyNarHashes=true", null).expect(202);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      NexusRest.Response report = rest.get("/service/rest/v1/nix/" + repository + "/integrity-check");
      if (report.status() == 200) {
        return report.json().get("problemCount").asInt();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the integrity check did not finish");
  }

  private static NixClient client(final String name, final NexusServer nexus) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }

  private static String hash(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }
}
