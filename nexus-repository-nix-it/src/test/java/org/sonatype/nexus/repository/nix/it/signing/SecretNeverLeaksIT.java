package org.sonatype.nexus.repository.nix.it.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.NarInfos;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A repository's secret signing key, once imported, never comes back out: not through any REST response, the UI's
 * repository list, a support zip or a log line, including the answers to mistaken requests that contain it.
 */
class SecretNeverLeaksIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp http;

  private static String hosted;

  private static String group;

  /** The key material of the imported keys (the base64 after the name), what must never be seen again. */
  private static final List<String> SECRETS = new ArrayList<>();

  /** Every answer to a mistaken request that carried a secret. */
  private static final List<String> ERROR_ANSWERS = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    http = RawHttp.basic("admin", nexus.adminPassword());
    NixClient nix = NixClient.builder().name("secret-keeper").netrc("127.0.0.1", "admin", nexus.adminPassword())
        .build();
    String hostedSecret = NixClient.secretKeyText(nix.generateSigningKey(Names.unique("leak-hosted")));
    String groupSecret = NixClient.secretKeyText(nix.generateSigningKey(Names.unique("leak-group")));
    SECRETS.add(material(hostedSecret));
    SECRETS.add(material(groupSecret));

    hosted = Names.unique("secret-hosted");
    String hostedUrl = rest.createNixHosted(hosted, Map.of("signing", Map.of("secretKey", hostedSecret)), "allow_once");
    group = Names.unique("secret-group");
    String groupUrl = rest.createNixGroup(group, List.of(hosted), Map.of("signing", Map.of("secretKey", groupSecret)));

    // the repositories at work: an upload, signed answers, an update that keeps the key (Nexus logs the
    // configuration of every update)
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("secret"));
    nix.copyTo(hostedUrl, List.of(fresh.dependency()));
    NarInfos.get(http, hostedUrl, fresh.dependency());
    NarInfos.get(http, groupUrl, fresh.dependency());
    rest.put("/service/rest/v1/repositories/nix/hosted/" + hosted,
        NexusRest.nixHostedRequest(hosted, Map.of("priority", 29), "allow_once")).expect(204);

    // mistakes that carry the secret: a damaged import, and the secret key where public keys belong
    String damaged = hostedSecret.substring(0, hostedSecret.length() - 6) + "=";
    SECRETS.add(material(damaged));
    ERROR_ANSWERS.add(rest.put("/service/rest/v1/repositories/nix/hosted/" + hosted, NexusRest.nixHostedRequest(hosted,
        Map.of("signing", Map.of("secretKey", damaged)), "allow_once")).expect(400).body());
    ERROR_ANSWERS.add(rest.put("/service/rest/v1/repositories/nix/hosted/" + hosted, NexusRest.nixHostedRequest(hosted,
        Map.of("trustedUploadKeys", List.of(hostedSecret)), "allow_once")).expect(400).body());
    ERROR_ANSWERS.add(rest.post("/service/rest/v1/repositories/nix/proxy", NexusRest.nixProxyRequest(
        Names.unique("secret-proxy"), "http://127.0.0.1:9", Map.of("trustedUpstreamKeys", List.of(groupSecret))))
        .expect(400).body());
  }

  private static String material(final String secretKey) {
    return secretKey.substring(secretKey.indexOf(':') + 1);
  }

  private static void assertNoSecretIn(final String what, final String text) {
    for (String secret : SECRETS) {
      assertThat(text).as(what).doesNotContain(secret);
      // nor the first half, which holds the seed
      assertThat(text).as(what).doesNotContain(secret.substring(0, 43));
    }
  }

  @Test
  void noRestResponseContainsTheSecretOrItsCipherText() {
    Map<String, String> responses = new LinkedHashMap<>();
    for (String path : List.of(
        "/service/rest/v1/repositories/nix/hosted/" + hosted,
        "/service/rest/v1/repositories/nix/group/" + group,
        "/service/rest/v1/repositories/" + hosted,
        "/service/rest/v1/repositories/" + group,
        "/service/rest/v1/repositories",
        "/service/rest/v1/repositorySettings")) {
      responses.put(path, rest.get(path).expect(200).body());
    }

    responses.forEach(SecretNeverLeaksIT::assertNoSecretIn);
    responses.forEach((path, body) -> assertThat(body).as(path).doesNotContain("nix-encrypted"));
    assertThat(responses.get("/service/rest/v1/repositorySettings")).contains("\"publicKey\"").contains(hosted);
  }

  @Test
  void answersToMistakenRequestsDoNotEchoTheSecret() {
    assertThat(ERROR_ANSWERS).hasSize(3);
    ERROR_ANSWERS.forEach(answer -> assertNoSecretIn("error answer", answer));
    assertThat(ERROR_ANSWERS.get(0)).contains("nix.signing.secretKey");
  }

  @Test
  void theUisRepositoryReadShowsAdminsThePublicKeyAndNoFormOfTheSecret() {
    assertUiReadHoldsNoFormOfTheSecret(rest, List.of(hosted, group));
  }

  @Test
  void theUisRepositoryReadShowsARepositoryAdministratorNoFormOfTheSecret() {
    String user = Names.unique("repository-reader");
    rest.createRole(user, "nx-repository-admin-nix-" + hosted + "-read", "nx-repository-view-nix-" + hosted + "-read",
        "nx-repository-admin-nix-" + group + "-read", "nx-repository-view-nix-" + group + "-read");
    rest.createUser(user, "secret-" + user, user);

    assertUiReadHoldsNoFormOfTheSecret(rest.as(user, "secret-" + user), List.of(hosted, group));
  }

  /**
   * What the UI reads of the repositories ({@code coreui_Repository.read}, the repository list and forms) has the
   * keys' names and public keys and an id, but neither the key nor any cipher text of it.
   */
  private static void assertUiReadHoldsNoFormOfTheSecret(final NexusRest as, final List<String> repositories) {
    NexusRest.Response read = as.post("/service/extdirect",
        "{\"action\":\"coreui_Repository\",\"method\":\"read\",\"data\":null,\"type\":\"rpc\",\"tid\":1}")
        .expect(200);
    JsonNode result = read.json().get("result");
    assertThat(result.get("success").asBoolean()).as(read.body()).isTrue();

    for (String repository : repositories) {
      JsonNode signing = null;
      for (JsonNode xo : result.get("data")) {
        if (xo.get("name").asText().equals(repository)) {
          signing = xo.get("attributes").get("nix").get("signing");
        }
      }
      assertThat(signing).as(repository + " in " + read.body()).isNotNull();
      assertThat(signing.get("publicKey").asText()).isNotEmpty();
      List<String> fields = new ArrayList<>();
      signing.fieldNames().forEachRemaining(fields::add);
      assertThat(fields).as(repository).containsOnly("keyName", "publicKey", "keyId", "created");
    }
    assertNoSecretIn("coreui_Repository.read", read.body());
    assertThat(read.body()).doesNotContain("nix-encrypted");
  }

  @Test
  void noLogLineContainsTheSecret() throws IOException {
    String log = Files.readString(nexus.logFile());

    assertThat(log).contains("Updating repository: " + hosted);
    assertNoSecretIn("nexus.log", log);
  }

  @Test
  void aSupportZipDoesNotContainTheSecret() throws IOException {
    RawHttp.Response zip = http.send("POST", nexus.baseUrl() + "/service/rest/v1/support/supportzip",
        java.net.http.HttpRequest.BodyPublishers.ofString("{\"systemInformation\":true,\"threadDump\":false,"
            + "\"configuration\":true,\"security\":true,\"log\":true,\"taskLog\":false,\"auditLog\":false,"
            + "\"jmx\":false,\"replication\":false,\"limitFileSizes\":true,\"limitZipSize\":true}"),
        Map.of("Content-Type", "application/json"));
    assertThat(zip.status()).as(zip.toString()).isEqualTo(200);

    boolean sawRepositoryConfiguration = false;
    try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
      ZipEntry entry;
      while ((entry = entries.getNextEntry()) != null) {
        String text = new String(entries.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertNoSecretIn(entry.getName(), text);
        sawRepositoryConfiguration |= entry.getName().endsWith("configurationExport.json") && text.contains(hosted);
      }
    }
    assertThat(sawRepositoryConfiguration).as("the support zip holds the repositories' configuration").isTrue();
  }
}
