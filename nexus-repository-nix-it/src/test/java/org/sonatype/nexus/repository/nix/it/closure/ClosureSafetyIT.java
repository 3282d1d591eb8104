package org.sonatype.nexus.repository.nix.it.closure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.TestBlobStore;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cleanup, deletion and integrity repair never break a closure: cleanup removes only whole unreferenced parts of the
 * graph and never a pinned root's closure, a NAR a kept path uses stays, and a store path whose NAR is gone is removed
 * with its dependents, so Nix reports it "not available" instead of failing a substitution halfway.
 */
class ClosureSafetyIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp http;

  private static ClosureGenerator closure;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    rest = nexus.rest();
    http = RawHttp.basic("admin", nexus.adminPassword());
    closure = ClosureGenerator.get();
  }

  @Test
  void cleanupKeepsWhatKeptPathsNeedAndRemovesWhatNothingNeeds() {
    String repository = Names.unique("closure-cleanup");
    String url = rest.createNixHosted(repository);
    client().copyTo(url + "?compression=zstd", List.of(closure.root()));
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("cleanup"));
    client().copyTo(url, fresh.paths());
    // a second store path whose narinfo points at the fresh dependency's NAR (same contents, another name)
    String alias = putAlias(url, hash(fresh.dependency()));

    // matches every store path but the generated root and the alias
    String policy = createPolicy("^/(?!(" + hash(closure.root()) + "|" + alias + ")\\.).*\\.narinfo$");
    attachPolicy(repository, policy);
    runCleanup();

    // the generated root was kept, so its whole closure was; the fresh paths were selected and unreferenced
    for (String path : closure.allPaths()) {
      assertThat(narInfoStatus(url, path)).as(path).isEqualTo(200);
    }
    assertThat(narInfoStatus(url, fresh.root())).isEqualTo(404);
    assertThat(narInfoStatus(url, fresh.dependency())).isEqualTo(404);
    assertThat(http.get(url + "/" + alias + ".narinfo").status()).isEqualTo(200);
    assertThat(http.get(url + "/" + narUrl(url, alias)).status()).as("the alias's NAR outlived the dependency")
        .isEqualTo(200);
    assertSubstitutes(url, closure.root());
    assertThat(lastCleanupTaskLog()).as("the task log says what cleanup kept and why")
        .contains("keeps /nix/store/").contains(": referenced by " + closure.root() + ", which is kept");

    // once the root is deleted, nothing needs its closure any more
    assertThat(http.delete(url + "/" + hash(closure.root()) + ".narinfo").status()).isEqualTo(204);
    runCleanup();

    for (String path : closure.allPaths()) {
      assertThat(narInfoStatus(url, path)).as(path).isEqualTo(404);
    }
    assertThat(http.get(url + "/" + alias + ".narinfo").status()).isEqualTo(200);
    assertThat(http.get(url + "/" + narUrl(url, alias)).status()).isEqualTo(200);
  }

  @Test
  void cleanupKeepsAPinnedRootsClosureEvenWhenEveryPathMatches() {
    String repository = Names.unique("closure-pin");
    String url = rest.createNixHosted(repository);
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("pin"));
    client().copyTo(url, fresh.paths());
    attachPolicy(repository, createPolicy(".*\\.narinfo"));

    rest.post("/service/rest/v1/nix/" + repository + "/pins/" + hash(fresh.root()), null).expect(204);
    runCleanup();

    assertThat(narInfoStatus(url, fresh.root())).isEqualTo(200);
    assertThat(narInfoStatus(url, fresh.dependency())).isEqualTo(200);
    assertThat(rest.get("/service/rest/v1/nix/" + repository + "/pins").expect(200).body())
        .contains(hash(fresh.root())).contains(fresh.root());
    assertSubstitutes(url, fresh.root());

    rest.delete("/service/rest/v1/nix/" + repository + "/pins/" + hash(fresh.root())).expect(204);
    runCleanup();

    assertThat(narInfoStatus(url, fresh.root())).isEqualTo(404);
    assertThat(narInfoStatus(url, fresh.dependency())).isEqualTo(404);
  }

  @Test
  void pinningAndUnpinningTakeMoreThanPushing() {
    String repository = Names.unique("closure-pin-rights");
    String url = rest.createNixHosted(repository);
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("pin-rights"));
    client().copyTo(url, fresh.paths());
    String pins = "/service/rest/v1/nix/" + repository + "/pins/";
    rest.post(pins + hash(fresh.root()), null).expect(204);

    // a deployer: every view privilege of the repository, as the docs' deployer role has
    String deployer = Names.unique("pin-deployer");
    rest.createRole(deployer, "nx-repository-view-nix-" + repository + "-*");
    rest.createUser(deployer, "secret-" + deployer, deployer);
    NexusRest asDeployer = rest.as(deployer, "secret-" + deployer);
    assertThat(asDeployer.delete(pins + hash(fresh.root())).status()).as("unpinning an admin's pin").isEqualTo(403);
    assertThat(asDeployer.post(pins + hash(fresh.dependency()), null).status()).isEqualTo(403);
    assertThat(asDeployer.get(pins).status()).as("listing needs only read").isEqualTo(200);

    // a privilege for pins alone, e.g. for the CI job that pins releases
    String privilege = Names.unique("nix-pins");
    rest.post("/service/rest/v1/security/privileges/wildcard", Map.of("name", privilege, "description", "pins",
        "pattern", "nexus:nix-pins:" + repository + ":create,delete")).expect(201);
    String pinner = Names.unique("pinner");
    rest.createRole(pinner, privilege, "nx-repository-view-nix-" + repository + "-read");
    rest.createUser(pinner, "secret-" + pinner, pinner);
    NexusRest asPinner = rest.as(pinner, "secret-" + pinner);
    assertThat(asPinner.post(pins + hash(fresh.dependency()), null).status()).isEqualTo(204);
    assertThat(asPinner.delete(pins + hash(fresh.root())).status()).isEqualTo(204);
    assertThat(rest.get("/service/rest/v1/nix/" + repository + "/pins").expect(200).body())
        .contains(hash(fresh.dependency())).doesNotContain(hash(fresh.root()));
  }

  @Test
  void aReferencedStorePathIsNotDeletedByHandUnlessItsDependentsGoToo() {
    String url = rest.createNixHosted(Names.unique("closure-delete"));
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("delete"));
    client().copyTo(url, fresh.paths());

    RawHttp.Response refused = http.delete(url + "/" + hash(fresh.dependency()) + ".narinfo");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.bodyText()).contains(fresh.root());
    assertThat(narInfoStatus(url, fresh.dependency())).isEqualTo(200);

    RawHttp.Response cascade = http.delete(url + "/" + hash(fresh.dependency()) + ".narinfo?cascade=true");
    assertThat(cascade.status()).isEqualTo(204);
    assertThat(narInfoStatus(url, fresh.dependency())).isEqualTo(404);
    assertThat(narInfoStatus(url, fresh.root())).isEqualTo(404);
  }

  @Test
  void deletesThroughNexussRestApiKeepClosuresWhole() {
    String repository = Names.unique("closure-rest");
    String url = rest.createNixHosted(repository);
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("rest-delete"));
    client().copyTo(url, fresh.paths());
    JsonNode dependency = component(repository, fresh.dependency());
    JsonNode root = component(repository, fresh.root());

    NexusRest.Response refused = rest.delete("/service/rest/v1/components/" + dependency.get("id").asText());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains(fresh.root());
    assertThat(narInfoStatus(url, fresh.dependency())).isEqualTo(200);

    // deleting the root's NAR asset takes the root's narinfo with it: no narinfo without its NAR
    String rootNar = narUrl(url, hash(fresh.root()));
    String narAssetId = null;
    for (JsonNode asset : root.get("assets")) {
      if (asset.get("path").asText().endsWith(rootNar)) {
        narAssetId = asset.get("id").asText();
      }
    }
    assertThat(narAssetId).isNotNull();
    rest.delete("/service/rest/v1/assets/" + narAssetId).expect(204);
    assertThat(narInfoStatus(url, fresh.root())).isEqualTo(404);

    rest.delete("/service/rest/v1/components/" + dependency.get("id").asText()).expect(204);
    assertThat(narInfoStatus(url, fresh.dependency())).isEqualTo(404);
    assertThat(rest.get("/service/rest/v1/assets?repository=" + repository).expect(200).json().get("items")).isEmpty();
  }

  @Test
  void cleanupKeepsTheNewestChannelSnapshotsItIsToldTo() throws IOException {
    String repository = Names.unique("closure-channels");
    Map<String, Object> body = NexusRest.nixHostedRequest(repository, Map.of("channelSnapshotsToKeep", 2),
        "allow_once");
    rest.post("/service/rest/v1/repositories/nix/hosted", body).expect(201);
    String url = rest.repositoryUrl(repository);
    for (int i = 1; i <= 4; i++) {
      Path tarball = org.sonatype.nexus.repository.nix.it.support.ChannelTarball.withHello("team-" + i, "v" + i);
      assertThat(http.put(url + "/channels/team/nixpkgs/team-" + i, "application/x-xz", Files.readAllBytes(tarball))
          .status()).isEqualTo(201);
    }
    attachPolicy(repository, createPolicy("^/channels/.*"));

    runCleanup();

    assertThat(http.get(url + "/channels/team/nixpkgs/team-1/nixexprs.tar.xz").status()).isEqualTo(404);
    assertThat(http.get(url + "/channels/team/nixpkgs/team-2/nixexprs.tar.xz").status()).isEqualTo(404);
    assertThat(http.get(url + "/channels/team/nixpkgs/team-3/nixexprs.tar.xz").status()).isEqualTo(200);
    assertThat(http.get(url + "/channels/team/nixpkgs/team-4/nixexprs.tar.xz").status()).isEqualTo(200);
    assertThat(rest.get("/service/rest/v1/repositories/nix/hosted/" + repository).expect(200).json()
        .get("nix").get("channelSnapshotsToKeep").asInt()).isEqualTo(2);
  }

  @Test
  void aDeleteRefusedThroughTheAssetsApiAnswersJsonLikeNexussOtherErrors() {
    String repository = Names.unique("closure-json");
    String url = rest.createNixHosted(repository);
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("json-delete"));
    client().copyTo(url, fresh.paths());
    String narInfoAssetId = null;
    for (JsonNode asset : component(repository, fresh.dependency()).get("assets")) {
      if (asset.get("path").asText().endsWith(".narinfo")) {
        narInfoAssetId = asset.get("id").asText();
      }
    }

    NexusRest.Response refused = rest.delete("/service/rest/v1/assets/" + narInfoAssetId);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
    assertThat(refused.json().get("message").asText())
        .contains(fresh.dependency() + " is still referenced by " + fresh.root());
    assertThat(refused.body()).doesNotContain("ValidationErrorXO");
  }

  private static JsonNode component(final String repository, final String storePath) {
    return rest.searchUntil(java.util.Map.of("repository", repository, "nix.storeHash", hash(storePath)),
        answer -> answer.get("items").size() == 1, java.time.Duration.ofSeconds(30)).get("items").get(0);
  }

  @Test
  void theIntegrityCheckReportsAMissingNarBlobAndRepairRemovesItsDependentsSoNixFailsCleanly() {
    String repository = Names.unique("closure-integrity");
    String url = rest.createNixHosted(repository);
    ClosureGenerator.Fresh broken = closure.fresh(Names.unique("broken"));
    ClosureGenerator.Fresh intact = closure.fresh(Names.unique("intact"));
    client().copyTo(url, broken.paths());
    client().copyTo(url, intact.paths());

    // behind Nexus's back, as a disk fault or a careless admin would
    TestBlobStore.forNewRepositories().deleteBlobBytes(repository, "/" + narUrl(url, hash(broken.dependency())));

    JsonNode report = integrityCheck(repository, false);
    assertThat(report.get("problemCount").asInt()).isEqualTo(1);
    assertThat(report.get("problems").get(0).get("storePath").asText()).isEqualTo(broken.dependency());
    assertThat(report.get("problems").get(0).get("problem").asText()).contains("blob store");
    assertThat(narInfoStatus(url, broken.root())).as("reporting changes nothing").isEqualTo(200);

    JsonNode repaired = integrityCheck(repository, true);
    List<String> removed = new ArrayList<>();
    repaired.get("removed").forEach(path -> removed.add(path.asText()));
    assertThat(removed).containsExactlyInAnyOrder(broken.dependency(), broken.root());
    assertThat(narInfoStatus(url, intact.root())).isEqualTo(200);
    assertSubstitutes(url, intact.root());

    NixClient.Result substitution = client().run(
        NixClient.realiseArgs(ItDirs.newTempDir("store"), url, List.of(broken.root()), false),
        NixClient.DEFAULT_TIMEOUT);
    assertThat(substitution.ok()).isFalse();
    assertThat(substitution.stderr()).doesNotContain("hash mismatch").doesNotContain("HTTP error")
        .containsAnyOf("don't know how to build", "no substituter", "is not valid");
    assertThat(integrityCheck(repository, true).get("problemCount").asInt()).isZero();
  }

  @Test
  void aNarTheBlobStoreFailsToReadIsReportedButRepairNeverRemovesIt() throws Exception {
    String repository = Names.unique("closure-unreadable");
    String url = rest.createNixHosted(repository);
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("unreadable"));
    client().copyTo(url, fresh.paths());

    // an I/O error like a failing disk or an S3 endpoint that does not answer for a while, not an absence
    JsonNode repaired;
    try (AutoCloseable failing = TestBlobStore.forNewRepositories()
        .failingReads(repository, "/" + narUrl(url, hash(fresh.dependency())))) {
      repaired = integrityCheck(repository, true);
    }

    assertThat(repaired.get("removed")).as("removed by repair").isEmpty();
    assertThat(narInfoStatus(url, fresh.dependency())).isEqualTo(200);
    assertThat(narInfoStatus(url, fresh.root())).isEqualTo(200);
    // one unreadable NAR on the file blob store; on S3 every NAR of the repository failed to read meanwhile
    assertThat(repaired.get("problemCount").asInt()).isPositive();
    repaired.get("problems").forEach(problem ->
        assertThat(problem.get("problem").asText()).contains("could not be read").contains("not repaired"));
    assertThat(repaired.get("problems").findValuesAsText("storePath")).contains(fresh.dependency());
    // readable again: nothing wrong, and the closure substitutes
    assertThat(integrityCheck(repository, true).get("problemCount").asInt()).isZero();
    assertSubstitutes(url, fresh.root());
  }

  // ---- helpers

  private static NixClient client() {
    return NixClient.builder().name("closure").netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }

  private static String hash(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  private static int narInfoStatus(final String url, final String storePath) {
    return http.get(url + "/" + hash(storePath) + ".narinfo").status();
  }

  private static String narUrl(final String url, final String storeHash) {
    return http.get(url + "/" + storeHash + ".narinfo").bodyText().lines()
        .filter(line -> line.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());
  }

  private static void assertSubstitutes(final String url, final String storePath) {
    Path store = ItDirs.newTempDir("closure-store");
    client().realiseInto(store, url, List.of(storePath), false);
    assertThat(NixClient.inStore(store, storePath)).exists();
  }

  /** Stores a narinfo for a made-up store path whose NAR is the given store path's NAR; returns its hash part. */
  private static String putAlias(final String url, final String storeHash) {
    String narInfo = http.get(url + "/" + storeHash + ".narinfo").bodyText();
    String aliasHash = (storeHash.charAt(0) == '0' ? "1" : "0") + storeHash.substring(1);
    String alias = narInfo
        .replaceAll("StorePath: /nix/store/[0-9a-z]{32}-", "StorePath: /nix/store/" + aliasHash + "-alias-")
        .replaceAll("Deriver: .*\n", "");
    assertThat(http.put(url + "/" + aliasHash + ".narinfo", "text/x-nix-narinfo", alias.getBytes(UTF_8)).status())
        .isEqualTo(201);
    return aliasHash;
  }

  private static String createPolicy(final String regex) {
    String name = Names.unique("nix-policy").replace('-', '_');
    rest.post("/service/rest/internal/cleanup-policies", Map.of(
        "name", name,
        "format", "nix",
        "notes", "integration test",
        "criteriaAssetRegex", regex)).expect(200);
    return name;
  }

  private static void attachPolicy(final String repository, final String policy) {
    Map<String, Object> nix = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
        rest.get("/service/rest/v1/repositories/nix/hosted/" + repository).expect(200).json().get("nix"), Map.class);
    nix.remove("signing");
    Map<String, Object> body = NexusRest.nixHostedRequest(repository, nix, "allow_once");
    body.put("cleanup", Map.of("policyNames", List.of(policy)));
    rest.put("/service/rest/v1/repositories/nix/hosted/" + repository, body).expect(204);
  }

  /** Runs Nexus's own cleanup task ("Cleanup service") and waits for it to finish. */
  private static void runCleanup() {
    JsonNode task = rest.get("/service/rest/v1/tasks?type=repository.cleanup").expect(200).json().get("items").get(0);
    String id = task.get("id").asText();
    String lastRun = task.get("lastRun").asText("");
    rest.post("/service/rest/v1/tasks/" + id + "/run", null).expect(204);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      JsonNode now = rest.get("/service/rest/v1/tasks/" + id).expect(200).json();
      if (!now.get("lastRun").asText("").equals(lastRun) && "WAITING".equals(now.get("currentState").asText())) {
        assertThat(now.get("lastRunResult").asText()).isEqualTo("OK");
        return;
      }
      sleep();
    }
    throw new AssertionError("the cleanup task did not finish in time");
  }

  private static String lastCleanupTaskLog() {
    try (Stream<Path> logs = Files.list(nexus.dataDir().resolve("log/tasks"))) {
      Path newest = logs.filter(f -> f.getFileName().toString().startsWith("repository.cleanup-"))
          .max(java.util.Comparator.comparing(Path::toString)).orElseThrow();
      return new String(Files.readAllBytes(newest), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs "Nix - Verify repository integrity" through the plugin's REST endpoint and returns its report. */
  private static JsonNode integrityCheck(final String repository, final boolean repair) {
    String previous = rest.get("/service/rest/v1/nix/" + repository + "/integrity-check").status() == 200
        ? rest.get("/service/rest/v1/nix/" + repository + "/integrity-check").json().get("finished").asText() : "";
    rest.post("/service/rest/v1/nix/" + repository + "/integrity-check?verifyNarHashes=true&repair=" + repair, null)
        .expect(202);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      NexusRest.Response report = rest.get("/service/rest/v1/nix/" + repository + "/integrity-check");
      if (report.status() == 200 && !report.json().get("finished").asText().equals(previous)) {
        return report.json();
      }
      sleep();
    }
    throw new AssertionError("the integrity check did not finish in time");
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
