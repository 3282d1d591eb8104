package org.sonatype.nexus.repository.nix.it.hardening;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.Soak;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writers at once: parallel {@code nix copy} of overlapping closures (into a hosted repository and through a
 * group), the same narinfo PUT by 32 clients at the same moment, and substitution while pushes run. Everything
 * succeeds, every store path is stored once, and no request fails with a 5xx.
 */
class ConcurrentPushIT
{
  @Test
  void eightParallelPushesOfOverlappingClosuresStoreEveryPathOnce() throws Exception {
    // a soak run repeats it with twice the pushers, each round into a new repository
    for (int round = 0; round < Soak.size(1, 5); round++) {
      parallelPushesStoreEveryPathOnce(Soak.size(8, 16));
    }
  }

  private static void parallelPushesStoreEveryPathOnce(final int pushers) throws Exception {
    NexusServer nexus = NexusServer.get();
    String repository = Names.unique("hosted-parallel");
    String url = nexus.rest().createNixHosted(repository);
    ClosureGenerator closure = ClosureGenerator.get();
    List<String> roots = spread(closure.allPaths(), pushers);
    // something to substitute while the pushes run
    ClosureGenerator.Fresh reading = closure.fresh(Names.unique("read-while-push"));
    client("seed", nexus).copyTo(url, reading.paths());
    long requestLogOffset = Files.size(requestLog(nexus));

    List<CompletableFuture<NixClient.Result>> pushes = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      String root = roots.get(i);
      NixClient pusher = client("pusher-" + i, nexus);
      pushes.add(CompletableFuture.supplyAsync(() ->
          pusher.run(List.of("nix", "copy", "--to", url + "?compression=zstd", root), NixClient.DEFAULT_TIMEOUT)));
    }
    Path store = ItDirs.newTempDir("read-store");
    client("reader", nexus).realiseInto(store, url, List.of(reading.root()), false);

    Set<String> union = new LinkedHashSet<>(reading.paths());
    for (int i = 0; i < pushes.size(); i++) {
      NixClient.Result push = pushes.get(i).get();
      assertThat(push.ok()).as(push.toString()).isTrue();
      union.addAll(closure.nix().closure(roots.get(i)));
    }
    assertThat(NixClient.inStore(store, reading.root())).exists();
    RawHttp http = RawHttp.basic("admin", nexus.adminPassword());
    for (String path : union) {
      assertThat(http.get(url + "/" + hash(path) + ".narinfo").status()).as(path).isEqualTo(200);
    }
    assertThat(narInfoAssets(nexus.rest(), repository)).as("one narinfo per store path").isEqualTo(union.size());
    assertThat(serverErrors(nexus, requestLogOffset, repository)).isEmpty();
  }

  @Test
  void thirtyTwoParallelPutsOfTheSameNarInfoStoreOneStorePath() throws Exception {
    NexusServer nexus = NexusServer.get();
    RawHttp http = RawHttp.basic("admin", nexus.adminPassword());
    String repository = Names.unique("hosted-same-narinfo");
    String url = nexus.rest().createNixHosted(repository);
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("same-narinfo"));
    Path cache = ItDirs.newTempDir("same-narinfo-cache");
    StaticCacheServer.writeCache(ClosureGenerator.get().nix(), cache, "zstd", List.of(fresh.dependency()));
    String hash = hash(fresh.dependency());
    String narInfo = Files.readString(cache.resolve(hash + ".narinfo"));
    String narUrl = narInfo.lines().filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring(5);
    assertThat(http.put(url + "/" + narUrl, "application/x-nix-nar", Files.readAllBytes(cache.resolve(narUrl)))
        .status()).isEqualTo(201);

    List<CompletableFuture<RawHttp.Response>> puts = new ArrayList<>();
    for (int i = 0; i < Soak.size(32, 128); i++) {
      puts.add(CompletableFuture.supplyAsync(() ->
          http.put(url + "/" + hash + ".narinfo", "text/x-nix-narinfo", narInfo.getBytes(UTF_8))));
    }
    for (CompletableFuture<RawHttp.Response> put : puts) {
      RawHttp.Response response = put.get();
      assertThat(response.status()).as(response.toString()).isBetween(200, 201);
    }

    assertThat(narInfoAssets(nexus.rest(), repository)).isEqualTo(1);
    assertThat(http.get(url + "/" + hash + ".narinfo").bodyText()).isEqualTo(narInfo);
  }

  @Test
  void parallelPushesThroughAGroupLandOnceInItsWritableMember() throws Exception {
    NexusServer nexus = NexusServer.get();
    NexusRest rest = nexus.rest();
    String hosted = Names.unique("parallel-member");
    rest.createNixHosted(hosted);
    String group = rest.createNixGroup(Names.unique("parallel-group"), List.of(hosted),
        Map.of("writableMember", hosted));
    List<String> roots = spread(ClosureGenerator.get().allPaths(), 4);

    List<CompletableFuture<NixClient.Result>> pushes = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      String root = roots.get(i);
      NixClient pusher = client("group-pusher-" + i, nexus);
      pushes.add(CompletableFuture.supplyAsync(() ->
          pusher.run(List.of("nix", "copy", "--to", group + "?compression=zstd", root), NixClient.DEFAULT_TIMEOUT)));
    }
    Set<String> union = new LinkedHashSet<>();
    for (int i = 0; i < pushes.size(); i++) {
      NixClient.Result push = pushes.get(i).get();
      assertThat(push.ok()).as(push.toString()).isTrue();
      union.addAll(ClosureGenerator.get().nix().closure(roots.get(i)));
    }

    assertThat(narInfoAssets(rest, hosted)).isEqualTo(union.size());
    Path store = ItDirs.newTempDir("group-parallel-store");
    client("group-reader", nexus).realiseInto(store, group, roots, false);
    for (String root : roots) {
      assertThat(NixClient.inStore(store, root)).exists();
    }
  }

  // ---- helpers

  /** {@code count} paths spread over the generated closure (their closures overlap in shared dependencies). */
  private static List<String> spread(final List<String> paths, final int count) {
    List<String> picked = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      picked.add(paths.get(i * (paths.size() - 1) / (count + 1)));
    }
    return picked;
  }

  private static NixClient client(final String name, final NexusServer nexus) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }

  private static String hash(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  /** Narinfo assets of a repository, counted through every page of Nexus's assets API. */
  static int narInfoAssets(final NexusRest rest, final String repository) {
    int count = 0;
    String token = null;
    do {
      JsonNode page = rest.get("/service/rest/v1/assets?repository=" + repository
          + (token != null ? "&continuationToken=" + token : "")).expect(200).json();
      for (JsonNode asset : page.get("items")) {
        if (asset.get("path").asText().endsWith(".narinfo")) {
          count++;
        }
      }
      token = page.get("continuationToken").isNull() ? null : page.get("continuationToken").asText();
    }
    while (token != null);
    return count;
  }

  private static Path requestLog(final NexusServer nexus) {
    return nexus.dataDir().resolve("log/request.log");
  }

  /** Lines of Nexus's request log, written since {@code offset}, that answered a request to the repository with 5xx. */
  private static List<String> serverErrors(final NexusServer nexus, final long offset, final String repository)
      throws Exception
  {
    byte[] all = Files.readAllBytes(requestLog(nexus));
    String written = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    List<String> errors = new ArrayList<>();
    for (String line : written.split("\n")) {
      if (line.contains("/repository/" + repository + "/") && line.matches(".*\" 5\\d\\d .*")) {
        errors.add(line);
      }
    }
    return errors;
  }
}
