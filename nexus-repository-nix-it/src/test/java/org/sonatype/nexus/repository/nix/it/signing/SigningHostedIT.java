package org.sonatype.nexus.repository.nix.it.signing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NarInfos;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A hosted repository with a signing key, against the real Nix 2.8 client: a closure pushed unsigned is served
 * signed, so Nix substitutes it with {@code require-sigs} on and only the repository's key trusted; an imported key
 * signs exactly as {@code nix store sign} does; a new key re-signs everything. Plus the upload policy: with trusted
 * upload keys, only signed pushes are taken.
 */
class SigningHostedIT
{
  private static final String OTHER_KEY = "someone-else-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=";

  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp http;

  private static ClosureGenerator closure;

  /** A repository with a generated key and a small closure pushed to it unsigned. */
  private static String repository;

  private static String url;

  private static ClosureGenerator.Fresh pushed;

  private static String publicKey;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    http = RawHttp.basic("admin", nexus.adminPassword());
    closure = ClosureGenerator.get();

    repository = Names.unique("signing-hosted");
    url = rest.createNixHosted(repository, Map.of("signing", Map.of("generate", true)), "allow_once");
    pushed = closure.fresh(Names.unique("signed"));
    client("pusher").copyTo(url, List.of(pushed.root()));
    publicKey = http.get(url + "/nix-public-key").bodyText().trim();
  }

  /** A client with credentials and a cache of its own: a pusher remembers the unsigned narinfos it uploaded. */
  private static NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }

  private static NixClient.Result substitute(final String cacheUrl, final String path, final String... trusted) {
    Path store = ItDirs.newTempDir("store");
    return client("substituter").run(NixClient.realiseArgsTrusting(store, cacheUrl, List.of(path), trusted),
        NixClient.DEFAULT_TIMEOUT);
  }

  private static NixClient.Result verify(final String cacheUrl, final String path, final String trusted) {
    return client("verifier").run(List.of("nix", "store", "verify", "--store", cacheUrl, "-r", path,
        "--sigs-needed", "1", "--trusted-public-keys", trusted), NixClient.DEFAULT_TIMEOUT);
  }

  private static void update(final String name, final Map<String, ?> nix) {
    rest.put("/service/rest/v1/repositories/nix/hosted/" + name, NexusRest.nixHostedRequest(name, nix, "allow_once"))
        .expect(204);
  }

  @Test
  void aClosurePushedUnsignedSubstitutesWithRequireSigsTrustingOnlyTheRepositoryKey() throws Exception {
    Path store = ItDirs.newTempDir("store");
    NixClient.Result result = client("substituter").run(
        NixClient.realiseArgsTrusting(store, url, List.of(pushed.root()), publicKey), NixClient.DEFAULT_TIMEOUT);

    assertThat(result.ok()).as(result.toString()).isTrue();
    for (String path : pushed.paths()) {
      assertThat(NixClient.inStore(store, path)).as(path).exists();
    }
    assertThat(Files.readString(NixClient.inStore(store, pushed.root()).resolve("dependency")).trim())
        .isEqualTo(pushed.dependency());
  }

  @Test
  void withAnotherTrustedKeyNixRefusesTheSubstitute() {
    NixClient.Result result = substitute(url, pushed.root(), OTHER_KEY);

    assertThat(result.ok()).as(result.toString()).isFalse();
    assertThat(result.stderr()).contains("is not signed by any of the keys in 'trusted-public-keys'");
  }

  @Test
  void nixStoreVerifyFindsOneTrustedSignatureOnEveryPath() {
    NixClient.Result trusted = verify(url, pushed.root(), publicKey);
    NixClient.Result untrusted = verify(url, pushed.root(), OTHER_KEY);

    assertThat(trusted.ok()).as(trusted.toString()).isTrue();
    assertThat(untrusted.ok()).as(untrusted.toString()).isFalse();
    assertThat(untrusted.stderr()).contains("is untrusted");
  }

  @Test
  void theGeneratedKeyIsNamedAfterTheRepositoryAndItsPublicKeyIsWhatTheRestApiShows() {
    JsonNode signing = rest.get("/service/rest/v1/repositories/nix/hosted/" + repository).expect(200).json()
        .get("nix").get("signing");

    assertThat(signing.get("keyName").asText()).isEqualTo(repository + "-1");
    assertThat(signing.get("publicKey").asText()).isEqualTo(publicKey);
    assertThat(publicKey).startsWith(repository + "-1:");
    assertThat(http.get(url + "/nix-public-key").header("Content-Type")).startsWith("text/plain");
  }

  @Test
  void thePublicKeyIsReadableWithTheRepositorysReadPrivilege() {
    String user = Names.unique("key-reader");
    rest.createRole(user + "-role", "nx-repository-view-nix-" + repository + "-read");
    rest.createUser(user, "secret-" + user, user + "-role");

    assertThat(RawHttp.basic(user, "secret-" + user).get(url + "/nix-public-key").bodyText().trim())
        .isEqualTo(publicKey);
    assertThat(RawHttp.anonymous().get(url + "/nix-public-key").status()).isEqualTo(401);
  }

  @Test
  void everyServedNarinfoCarriesAValidSignatureByTheRepositoryKey() {
    for (String path : pushed.paths()) {
      NarInfo narInfo = NarInfos.get(http, url, path);

      assertThat(NarInfos.validSignatures(narInfo, publicKey)).as(path).hasSize(1);
    }
  }

  @Test
  void anImportedKeySignsByteIdenticallyToNixStoreSign() throws Exception {
    NixClient nix = client("importer");
    NixClient.SigningKey key = nix.generateSigningKey(Names.unique("imported"));
    String name = Names.unique("signing-imported");
    String importedUrl = rest.createNixHosted(name,
        Map.of("signing", Map.of("secretKey", NixClient.secretKeyText(key))), "allow_once");
    nix.copyTo(importedUrl, List.of(pushed.root()));

    Path dir = ItDirs.newTempDir("signed-by-nix");
    nix.copyTo("file://" + dir + "?compression=none", List.of(pushed.root()));
    nix.run("nix", "store", "sign", "--store", "file://" + dir, "-k", key.secretKeyFile().toString(), "-r",
        pushed.root()).assertSuccess();

    for (String path : pushed.paths()) {
      NarInfo signedByNix = NarInfo.parse(Files.readString(dir.resolve(NarInfos.hashPart(path) + ".narinfo")),
          NarInfos.STORE_DIR);
      NarInfo servedByNexus = NarInfos.get(http, importedUrl, path);
      assertThat(servedByNexus.sigs()).as(path).containsExactlyElementsOf(signedByNix.sigs());
    }
    assertThat(http.get(importedUrl + "/nix-public-key").bodyText().trim()).isEqualTo(key.publicKey());
  }

  @Test
  void anImportedKeyStillSignsAfterNexusRestarts() {
    NixClient nix = client("restarter");
    NixClient.SigningKey key = nix.generateSigningKey(Names.unique("restart"));
    String name = Names.unique("signing-restart");
    String restartUrl = rest.createNixHosted(name,
        Map.of("signing", Map.of("secretKey", NixClient.secretKeyText(key))), "allow_once");
    nix.copyTo(restartUrl, List.of(pushed.dependency()));

    nexus.stop();
    nexus.start();

    NarInfo served = NarInfos.get(http, restartUrl, pushed.dependency());
    assertThat(NarInfos.validSignatures(served, key.publicKey())).hasSize(1);
    assertThat(rest.get("/service/rest/v1/repositories/nix/hosted/" + name).expect(200).json()
        .get("nix").get("signing").get("publicKey").asText()).isEqualTo(key.publicKey());
  }

  @Test
  void aNewKeyResignsWhatIsServedAndTheOldSignatureIsNotLeftBehind() {
    NixClient nix = client("rotator");
    String name = Names.unique("signing-rotated");
    String rotatedUrl = rest.createNixHosted(name, Map.of("signing", Map.of("generate", true)), "allow_once");
    nix.copyTo(rotatedUrl, List.of(pushed.root()));
    String oldKey = http.get(rotatedUrl + "/nix-public-key").bodyText().trim();
    // nix store sign PUTs back what it read, the repository's own signature included (a client that did not push
    // the path reads it from the repository, not from its own cache)
    NixClient signer = client("signer");
    NixClient.SigningKey uploader = signer.generateSigningKey(Names.unique("uploader"));
    signer.run("nix", "store", "sign", "--store", rotatedUrl, "-k", uploader.secretKeyFile().toString(),
        pushed.root()).assertSuccess();

    update(name, Map.of("signing", Map.of("generate", true, "keyName", name + "-2")));

    String newKey = http.get(rotatedUrl + "/nix-public-key").bodyText().trim();
    NarInfo served = NarInfos.get(http, rotatedUrl, pushed.root());
    assertThat(newKey).startsWith(name + "-2:").isNotEqualTo(oldKey);
    assertThat(NarInfos.validSignatures(served, newKey)).hasSize(1);
    assertThat(NarInfos.validSignatures(served, uploader.publicKey())).hasSize(1);
    assertThat(NarInfos.validSignatures(served, oldKey)).isEmpty();
    assertThat(served.sigs()).hasSize(2);
  }

  @Test
  void anUpdateWithoutASigningBlockKeepsTheKeyAndRemovingItStopsSigning() {
    NixClient nix = client("remover");
    String name = Names.unique("signing-removed");
    String removedUrl = rest.createNixHosted(name, Map.of("signing", Map.of("generate", true)), "allow_once");
    nix.copyTo(removedUrl, List.of(pushed.dependency()));
    String key = http.get(removedUrl + "/nix-public-key").bodyText().trim();

    update(name, Map.of("priority", 31));
    assertThat(http.get(removedUrl + "/nix-public-key").bodyText().trim()).isEqualTo(key);

    update(name, Map.of("signing", Map.of("remove", true)));
    assertThat(http.get(removedUrl + "/nix-public-key").status()).isEqualTo(404);
    assertThat(NarInfos.get(http, removedUrl, pushed.dependency()).sigs()).isEmpty();
    assertThat(rest.get("/service/rest/v1/repositories/nix/hosted/" + name).expect(200).json().get("nix")
        .get("signing").isNull()).isTrue();
  }

  @Test
  void withTrustedUploadKeysAnUnsignedPushIsRefusedWith403NamingTheKeysAndASignedOneIsTaken() {
    NixClient nix = client("uploader");
    NixClient.SigningKey uploader = nix.generateSigningKey(Names.unique("ci"));
    String name = Names.unique("signed-uploads");
    String uploadUrl = rest.createNixHosted(name, Map.of("trustedUploadKeys", List.of(uploader.publicKey())),
        "allow_once");

    NixClient.Result unsigned = nix.run(List.of("nix", "copy", "--to", uploadUrl, pushed.dependency()),
        NixClient.DEFAULT_TIMEOUT);
    assertThat(unsigned.ok()).as(unsigned.toString()).isFalse();
    assertThat(unsigned.stderr()).contains("HTTP error 403").contains("trusted upload keys").contains(uploader.name());
    assertThat(http.get(NarInfos.url(uploadUrl, pushed.dependency())).status()).isEqualTo(404);

    nix.copyTo(uploadUrl + "?secret-key=" + uploader.secretKeyFile(), List.of(pushed.dependency()));
    assertThat(NarInfos.validSignatures(NarInfos.get(http, uploadUrl, pushed.dependency()), uploader.publicKey()))
        .hasSize(1);
  }

  @Test
  void aMalformedSecretKeyIsA400NamingTheField() {
    String name = Names.unique("signing-bad");
    NexusRest.Response response = rest.post("/service/rest/v1/repositories/nix/hosted",
        NexusRest.nixHostedRequest(name, Map.of("signing", Map.of("secretKey", "bad-1:AAAA")), "allow_once"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("nix.signing.secretKey");
    assertThat(rest.get("/service/rest/v1/repositories/" + name).status()).isEqualTo(404);
  }

  @Test
  void aMalformedTrustedUploadKeyIsA400NamingTheField() {
    String name = Names.unique("signed-uploads-bad");
    NexusRest.Response response = rest.post("/service/rest/v1/repositories/nix/hosted",
        NexusRest.nixHostedRequest(name, Map.of("trustedUploadKeys", List.of("ci-1:notakey")), "allow_once"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("nix.trustedUploadKeys[0]");
  }
}
