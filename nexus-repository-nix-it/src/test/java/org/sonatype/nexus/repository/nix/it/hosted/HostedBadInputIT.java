package org.sonatype.nexus.repository.nix.it.hosted;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.RawHttp.After;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad uploads, sent the way a broken client or an attacker would, with plain HTTP: each gets a 4xx that says what
 * was wrong, and leaves no trace in the repository.
 *
 * The files come from a real {@code nix copy --to file://} of a fresh two-path closure (a dependency and a root
 * that references it), uploaded by hand, with one thing broken per test.
 */
class HostedBadInputIT
{
  private static NexusServer nexus;

  private static RawHttp http;

  private static Path cache;

  private static String dependencyHash;

  private static String rootHash;

  private String repository;

  private String url;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    http = RawHttp.basic("admin", nexus.adminPassword());
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("bad"));
    cache = ItDirs.newTempDir("bad-input-cache");
    StaticCacheServer.writeCache(ClosureGenerator.get().nix(), cache, "none", fresh.paths());
    dependencyHash = HostedPushAndSubstituteIT.hashPart(fresh.dependency());
    rootHash = HostedPushAndSubstituteIT.hashPart(fresh.root());
  }

  @BeforeEach
  void createRepository() {
    repository = Names.unique("hosted-bad");
    url = nexus.rest().createNixHosted(repository);
  }

  @Test
  void aMalformedNarInfoIsRefusedNamingTheLine() throws IOException {
    uploadNar(dependencyHash);
    String narInfo = narInfo(dependencyHash).replace("NarSize: ", "NarSize:");

    RawHttp.Response response = putNarInfo(dependencyHash, narInfo);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).contains("line").contains("NarSize");
    assertNoNarInfo(dependencyHash);
  }

  @Test
  void aNarInfoWithoutItsNarIsRefused() throws IOException {
    RawHttp.Response response = putNarInfo(dependencyHash, narInfo(dependencyHash));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).contains("upload the NAR before its narinfo");
    assertThat(assets()).isEmpty();
  }

  @Test
  void aNarInfoWhoseNarHashDoesNotMatchTheNarIsRefused() throws IOException {
    uploadNar(dependencyHash);
    String narInfo = narInfo(dependencyHash).replaceAll("NarHash: sha256:[0-9a-z]+",
        "NarHash: sha256:0000000000000000000000000000000000000000000000000000");

    RawHttp.Response response = putNarInfo(dependencyHash, narInfo);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).startsWith("NarHash");
    assertNoNarInfo(dependencyHash);
  }

  @Test
  void aNarInfoWhoseFileSizeDoesNotMatchTheNarIsRefused() throws IOException {
    uploadNar(dependencyHash);
    String narInfo = narInfo(dependencyHash).replaceAll("FileSize: [0-9]+", "FileSize: 1");

    RawHttp.Response response = putNarInfo(dependencyHash, narInfo);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).startsWith("FileSize");
    assertNoNarInfo(dependencyHash);
  }

  @Test
  void aNarThatDecompressesFarBeyondItsNarSizeIsRefusedAtItsNarSize() throws Exception {
    // 16 KiB of zstd that decode to 512 MiB, under the narinfo of a real NAR of a few hundred bytes
    ByteArrayOutputStream zstd = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(zstd)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 512; i++) {
        out.write(zeros);
      }
    }
    byte[] bomb = zstd.toByteArray();
    String fileHash = NixHash.of(NixHashType.SHA256, MessageDigest.getInstance("SHA-256").digest(bomb)).toNix32();
    RawHttp.Response nar = http.put(url + "/nar/" + fileHash + ".nar.zst", "application/x-nix-nar", bomb);
    assertThat(nar.status()).as(nar.toString()).isEqualTo(201);
    String text = narInfo(dependencyHash);
    String narSize = text.lines().filter(l -> l.startsWith("NarSize: ")).findFirst().orElseThrow().substring(9);
    text = text.replaceAll("URL: .*", "URL: nar/" + fileHash + ".nar.zst")
        .replaceAll("Compression: .*", "Compression: zstd")
        .replaceAll("FileHash: .*", "FileHash: sha256:" + fileHash)
        .replaceAll("FileSize: .*", "FileSize: " + bomb.length);

    RawHttp.Response response = putNarInfo(dependencyHash, text);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).contains("decompresses to more than its NarSize of " + narSize + " bytes");
    assertNoNarInfo(dependencyHash);
  }

  @Test
  void aNarInfoWithThousandsOfSignaturesIsRefused() throws IOException {
    uploadNar(dependencyHash);

    RawHttp.Response response = putNarInfo(dependencyHash, narInfo(dependencyHash) + fakeSignatures(0, 9400));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).contains("Sig: more than 32 signatures");
    assertNoNarInfo(dependencyHash);
  }

  @Test
  void signaturesAddedByLaterUploadsStopAtSixteen() throws IOException {
    uploadNar(dependencyHash);
    String narInfo = narInfo(dependencyHash).replaceAll("Sig: .*\n", "");
    assertThat(putNarInfo(dependencyHash, narInfo + fakeSignatures(0, 16)).status()).isEqualTo(201);

    RawHttp.Response more = putNarInfo(dependencyHash, narInfo + fakeSignatures(16, 1));

    assertThat(more.status()).isEqualTo(400);
    assertThat(more.bodyText()).contains("would carry 17 signatures with those already stored; a hosted repository "
        + "keeps at most 16 per narinfo");
    assertThat(http.get(url + "/" + dependencyHash + ".narinfo").bodyText().lines()
        .filter(l -> l.startsWith("Sig: ")).count()).isEqualTo(16);
  }

  @Test
  void aNarInfoAtAnotherStorePathsUrlIsRefused() throws IOException {
    uploadNar(dependencyHash);

    RawHttp.Response response = putNarInfo(rootHash, narInfo(dependencyHash));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).startsWith("StorePath");
    assertNoNarInfo(rootHash);
    assertNoNarInfo(dependencyHash);
  }

  @Test
  void aNarInfoWhoseReferencesAreMissingIsRefused() throws IOException {
    uploadNar(rootHash);

    RawHttp.Response response = putNarInfo(rootHash, narInfo(rootHash));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).startsWith("References").contains(dependencyHash);
    assertNoNarInfo(rootHash);
  }

  @Test
  void aNarNamedByAHashItDoesNotHaveIsRefused() throws IOException {
    Path nar = narFile(dependencyHash);
    String name = nar.getFileName().toString();
    String wrongName = (name.charAt(0) == '0' ? "1" : "0") + name.substring(1);

    RawHttp.Response response = http.put(url + "/nar/" + wrongName, "application/x-nix-nar", Files.readAllBytes(nar));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).contains("hashes to");
    assertThat(assets()).isEmpty();
  }

  @Test
  void aTruncatedNarUploadIsRefusedAndNothingIsStored() throws IOException {
    Path nar = narFile(dependencyHash);
    byte[] bytes = Files.readAllBytes(nar);

    RawHttp.RawResponse response = http.partialPut(url + "/nar/" + nar.getFileName(),
        Map.of("Content-Type", "application/x-nix-nar"), bytes.length,
        java.util.Arrays.copyOf(bytes, bytes.length / 2), After.HALF_CLOSE,
        Duration.ofSeconds(60));

    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(http.head(url + "/nar/" + nar.getFileName()).status()).isEqualTo(404);
    assertThat(assets()).isEmpty();
  }

  @Test
  void pathTraversalIsRefusedAndStoresNothing() {
    byte[] body = "not a nar".getBytes(UTF_8);
    List<String> attempts = List.of(
        "/nar/../evil.nar",
        "/nar/%2e%2e/evil.nar",
        "/nar/%2E%2E%2Fevil.nar",
        "/nar/..%2fevil.nar",
        "/%2e%2e/%2e%2e/evil.narinfo",
        "/log/..%2f..%2fevil.drv",
        "/nar/.%2e/.%2e/evil.nar");

    List<Integer> statuses = new ArrayList<>();
    for (String attempt : attempts) {
      statuses.add(http.put(url + attempt, "application/x-nix-nar", body).status());
    }

    assertThat(statuses).as(attempts.toString()).allSatisfy(status -> assertThat(status).isBetween(400, 499));
    assertThat(assets()).isEmpty();
  }

  @Test
  void unknownPathsAreNotFoundAndUnknownMethodsNotAllowed() {
    assertThat(http.get(url + "/not-a-nix-file").status()).isEqualTo(404);
    assertThat(http.put(url + "/not-a-nix-file", "text/plain", new byte[] {1}).status()).isEqualTo(404);
    assertThat(http.send("POST", url + "/" + dependencyHash + ".narinfo",
        java.net.http.HttpRequest.BodyPublishers.ofString("x"), Map.of()).status()).isEqualTo(405);
    assertThat(assets()).isEmpty();
  }

  @Test
  void aNixCacheInfoForAnotherStoreDirIsRefused() {
    RawHttp.Response other = http.put(url + "/nix-cache-info", "text/x-nix-cache-info",
        "StoreDir: /gnu/store\n".getBytes(UTF_8));
    RawHttp.Response same = http.put(url + "/nix-cache-info", "text/x-nix-cache-info",
        "StoreDir: /nix/store\n".getBytes(UTF_8));

    assertThat(other.status()).isEqualTo(400);
    assertThat(other.bodyText()).contains("/gnu/store");
    assertThat(same.status()).isEqualTo(200);
    assertThat(http.get(url + "/nix-cache-info").bodyText()).contains("StoreDir: /nix/store").contains("Priority: 30");
  }

  // ---- helpers

  /** {@code Sig} lines with well-formed signatures of keys nobody trusts. */
  private static String fakeSignatures(final int first, final int count) {
    StringBuilder lines = new StringBuilder();
    for (int i = first; i < first + count; i++) {
      byte[] signature = new byte[64];
      signature[0] = (byte) i;
      signature[1] = (byte) (i >> 8);
      lines.append("Sig: key-").append(i).append(':').append(Base64.getEncoder().encodeToString(signature))
          .append('\n');
    }
    return lines.toString();
  }

  private void uploadNar(final String storeHash) throws IOException {
    Path nar = narFile(storeHash);
    RawHttp.Response response = http.put(url + "/nar/" + nar.getFileName(), "application/x-nix-nar",
        Files.readAllBytes(nar));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
  }

  private RawHttp.Response putNarInfo(final String storeHash, final String text) {
    return http.put(url + "/" + storeHash + ".narinfo", "text/x-nix-narinfo", text.getBytes(UTF_8));
  }

  private static String narInfo(final String storeHash) throws IOException {
    return Files.readString(cache.resolve(storeHash + ".narinfo"));
  }

  private static Path narFile(final String storeHash) throws IOException {
    String line = narInfo(storeHash).lines().filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow();
    return cache.resolve(line.substring("URL: ".length()));
  }

  private void assertNoNarInfo(final String storeHash) {
    assertThat(http.get(url + "/" + storeHash + ".narinfo").status()).isEqualTo(404);
    assertThat(assets()).noneMatch(path -> path.endsWith(".narinfo"));
  }

  /** Every asset path of the repository, from Nexus's own REST API. */
  private List<String> assets() {
    JsonNode items = nexus.rest().get("/service/rest/v1/assets?repository=" + repository).expect(200).json()
        .get("items");
    List<String> paths = new ArrayList<>();
    items.forEach(item -> paths.add(item.get("path").asText()));
    return paths;
  }
}
