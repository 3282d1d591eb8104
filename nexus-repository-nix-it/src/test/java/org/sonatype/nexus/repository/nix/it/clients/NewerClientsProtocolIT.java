package org.sonatype.nexus.repository.nix.it.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.sonatype.nexus.repository.nix.it.support.ClientPaths;
import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator.Fresh;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NarInfos;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What Nix 2.35 does that the clients available here (up to 2.34) cannot show, at the protocol level, from its
 * published formats and sources: realisations as build-trace entries under {@code build-trace-v2/<drv>/<output>.doi},
 * NAR uploads in parallel (largest first) followed by narinfos in topological order, and {@code Retry-After} honoured
 * on 503s, which the plugin answers when it cannot take a request for now (read-only mode here).
 */
class NewerClientsProtocolIT
{
  /** A drv base name and an output, as 2.35's {@code BinaryCacheStore::makeRealisationPath} puts them in the path. */
  private static final String DRV = "g1w7hy3qg1w7hy3qg1w7hy3qg1w7hy3q-bar.drv";

  /**
   * A build-trace entry as 2.35 uploads it: the JSON of an {@code UnkeyedRealisation} (its libstore test data
   * {@code realisation/unkeyed-with-signature.json}), Content-Type application/json.
   */
  private static final String ENTRY = "{\"outPath\":\"g1w7hy3qg1w7hy3qg1w7hy3qg1w7hy3q-foo\",\"signatures\":[{\"keyName\":"
      + "\"asdf\",\"sig\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\"}]}";

  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp http;

  private static String password;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    password = nexus.adminPassword();
    http = RawHttp.basic("admin", password);
  }

  // ---- build-trace-v2

  @Test
  void buildTraceEntriesAreStoredAndServedAtTheirV2PathsDirectlyAndThroughAGroup() {
    String hosted = Names.unique("trace-hosted");
    String url = rest.createNixHosted(hosted);
    String groupUrl = rest.createNixGroup(Names.unique("trace-group"), List.of(hosted), Map.of());
    String entry = "/build-trace-v2/" + DRV + "/out.doi";

    RawHttp.Response put = http.put(url + entry, "application/json", ENTRY.getBytes(StandardCharsets.UTF_8));
    assertThat(put.status()).as(put.toString()).isEqualTo(201);

    for (String served : List.of(url, groupUrl)) {
      RawHttp.Response got = http.get(served + entry);
      assertThat(got.status()).as(got.toString()).isEqualTo(200);
      assertThat(got.header("Content-Type")).startsWith("application/json");
      assertThat(Json.parse(got.bodyText())).isEqualTo(Json.parse(ENTRY));
      assertThat(http.head(served + entry).status()).isEqualTo(200);
      // another output of the same derivation is not there: a miss Nix may remember
      assertThat(http.get(served + "/build-trace-v2/" + DRV + "/dev.doi").status()).isEqualTo(404);
    }
  }

  @Test
  void aBuildTraceEntryThatIsNotJsonIsRefusedAndNothingIsStored() {
    String url = rest.createNixHosted(Names.unique("trace-bad"));
    String entry = "/build-trace-v2/" + DRV + "/out.doi";

    RawHttp.Response put = http.put(url + entry, "application/json", "outPath: foo".getBytes(StandardCharsets.UTF_8));

    assertThat(put.status()).as(put.toString()).isEqualTo(400);
    assertThat(put.bodyText()).contains("is not valid JSON");
    assertThat(http.get(url + entry).status()).isEqualTo(404);
  }

  @Test
  void aProxyServesItsUpstreamsBuildTraceEntriesAndKeepsThemWhenTheUpstreamIsGone() throws IOException {
    Path upstreamDir = ItDirs.newTempDir("trace-upstream");
    Files.writeString(upstreamDir.resolve("nix-cache-info"), "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n");
    Path file = upstreamDir.resolve("build-trace-v2/" + DRV + "/out.doi");
    Files.createDirectories(file.getParent());
    Files.writeString(file, ENTRY);
    StaticCacheServer upstream = StaticCacheServer.serve(upstreamDir);
    String url = rest.createNixProxy(Names.unique("trace-proxy"), upstream.url(), Map.of());
    String entry = "/build-trace-v2/" + DRV + "/out.doi";

    RawHttp.Response fetched = http.get(url + entry);
    upstream.close();
    RawHttp.Response cached = http.get(url + entry);

    assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
    assertThat(Json.parse(fetched.bodyText())).isEqualTo(Json.parse(ENTRY));
    assertThat(cached.status()).as(cached.toString()).isEqualTo(200);
    assertThat(cached.bodyText()).isEqualTo(fetched.bodyText());
  }

  // ---- parallel NAR uploads

  /**
   * Nix 2.35's {@code BinaryCacheStore::addMultipleToStore}: every NAR (with its listing) uploaded at once, largest
   * first, each narinfo as soon as its own NAR and the narinfos of its references are in. Replayed here with the
   * files a real client wrote for a closure, four uploads at a time; then the real client substitutes the closure.
   */
  @Test
  void narsUploadedInParallelLargestFirstThenNarInfosInTopologicalOrderAllLand() throws Exception {
    NixClient nix = NixClient.builder().name("parallel").netrc("127.0.0.1", "admin", password).build();
    ClientPaths paths = ClientPaths.builtBy(nix);
    List<String> closure = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Fresh fresh = paths.fresh(Names.unique("parallel"));
      closure.addAll(fresh.paths());
    }
    Path files = ItDirs.newTempDir("parallel-cache");
    nix.copyTo("file://" + files + "?compression=zstd&write-nar-listing=true", closure);
    Map<String, NarInfo> narInfos = new HashMap<>();
    for (String path : closure) {
      narInfos.put(path, narInfo(files, path));
    }
    String url = rest.createNixHosted(Names.unique("parallel"));

    List<Integer> statuses = new ArrayList<>();
    ExecutorService uploads = Executors.newFixedThreadPool(4);
    try {
      Map<String, CompletableFuture<Integer>> nars = new HashMap<>();
      closure.stream()
          .sorted(Comparator.comparingLong((String path) -> narInfos.get(path).narSize()).reversed())
          .forEach(path -> nars.put(path, CompletableFuture.supplyAsync(() -> {
            NarInfo info = narInfos.get(path);
            int listing = put(url, files, NarInfos.hashPart(path) + ".ls", "application/json");
            int nar = put(url, files, info.url(), "application/x-nix-nar");
            return listing == 201 && nar == 201 ? 201 : Math.max(listing, nar);
          }, uploads)));
      Map<String, CompletableFuture<Integer>> uploaded = new HashMap<>();
      for (String path : closure) {
        narInfoUpload(path, narInfos, nars, uploaded, url, files, uploads);
      }
      for (String path : closure) {
        statuses.add(nars.get(path).get());
        statuses.add(uploaded.get(path).get());
      }
    }
    finally {
      uploads.shutdownNow();
    }

    assertThat(statuses).hasSize(closure.size() * 2).containsOnly(201);
    Path store = ItDirs.newTempDir("store");
    NixClient.builder().name("parallel-substituter").netrc("127.0.0.1", "admin", password).build()
        .realiseInto(store, url, closure, false);
    for (String path : closure) {
      assertThat(NixClient.inStore(store, path)).exists();
    }
  }

  /** The narinfo upload of {@code path}: after its NAR and the narinfo uploads of its references in the closure. */
  private static CompletableFuture<Integer> narInfoUpload(final String path, final Map<String, NarInfo> narInfos,
                                                          final Map<String, CompletableFuture<Integer>> nars,
                                                          final Map<String, CompletableFuture<Integer>> uploaded,
                                                          final String url, final Path files,
                                                          final ExecutorService uploads)
  {
    CompletableFuture<Integer> known = uploaded.get(path);
    if (known != null) {
      return known;
    }
    List<CompletableFuture<Integer>> before = new ArrayList<>(List.of(nars.get(path)));
    for (String reference : narInfos.get(path).references()) {
      String referencePath = "/nix/store/" + reference;
      if (!referencePath.equals(path) && narInfos.containsKey(referencePath)) {
        before.add(narInfoUpload(referencePath, narInfos, nars, uploaded, url, files, uploads));
      }
    }
    CompletableFuture<Integer> upload = CompletableFuture.allOf(before.toArray(new CompletableFuture[0]))
        .thenApplyAsync(done -> put(url, files, NarInfos.hashPart(path) + ".narinfo", "text/x-nix-narinfo"), uploads);
    uploaded.put(path, upload);
    return upload;
  }

  private static int put(final String url, final Path files, final String file, final String contentType) {
    try {
      return http.put(url + "/" + file, contentType, Files.readAllBytes(files.resolve(file))).status();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- Retry-After

  @Test
  void inReadOnlyModeUploadsAre503sWithRetryAfterWhileReadsGoOn() throws IOException {
    NixClient nix = NixClient.builder().name("read-only").netrc("127.0.0.1", "admin", password).build();
    ClientPaths paths = ClientPaths.builtBy(nix);
    Fresh before = paths.fresh(Names.unique("before-freeze"));
    Fresh during = paths.fresh(Names.unique("during-freeze"));
    String url = rest.createNixHosted(Names.unique("read-only"));
    nix.copyTo(url + "?compression=zstd", before.paths());
    Path files = ItDirs.newTempDir("read-only-cache");
    nix.copyTo("file://" + files + "?compression=zstd", during.paths());
    NarInfo dependency = narInfo(files, during.dependency());
    NarInfo root = narInfo(files, during.root());
    // the dependency's NAR is in before the freeze: its narinfo then passes every check and fails only on writing
    assertThat(put(url, files, dependency.url(), "application/x-nix-nar")).isEqualTo(201);

    RawHttp.Response nar;
    RawHttp.Response narInfo;
    RawHttp.Response read;
    NixClient.Result push;
    rest.post("/service/rest/v1/read-only/freeze", null).expect(200, 204);
    try {
      nar = http.put(url + "/" + root.url(), "application/x-nix-nar", Files.readAllBytes(files.resolve(root.url())));
      narInfo = http.put(NarInfos.url(url, during.dependency()), "text/x-nix-narinfo",
          Files.readAllBytes(files.resolve(NarInfos.hashPart(during.dependency()) + ".narinfo")));
      read = http.get(NarInfos.url(url, before.root()));
      // one attempt: Nix 2.8 would retry the 503 on its own schedule (2.35 after the Retry-After) and fail the same
      push = nix.run(List.of("nix", "copy", "--option", "download-attempts", "1", "--to", url, during.root()),
          NixClient.DEFAULT_TIMEOUT);
    }
    finally {
      rest.post("/service/rest/v1/read-only/release", null).expect(200, 204);
    }

    for (RawHttp.Response refused : List.of(nar, narInfo)) {
      assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).as(refused.toString()).isEqualTo("60");
      assertThat(refused.bodyText()).contains("read-only mode");
    }
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    assertThat(push.ok()).as(push.toString()).isFalse();
    assertThat(push.stderr()).as(push.toString()).contains("503");
    // released: the same push goes through
    nix.copyTo(url, during.paths());
    assertThat(http.get(NarInfos.url(url, during.root())).status()).isEqualTo(200);
  }

  private static NarInfo narInfo(final Path files, final String storePath) throws IOException {
    return NarInfo.parse(Files.readString(files.resolve(NarInfos.hashPart(storePath) + ".narinfo")), "/nix/store");
  }
}
