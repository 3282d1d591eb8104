package org.sonatype.nexus.repository.nix.it.flakes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.NixFlakes;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.RegistryUpstream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One {@code flake-registry} URL for a team's own flakes and the public ones: a nix-group over a nix-hosted
 * (writable) and a nix-proxy of an upstream registry (channels.nixos.org's in miniature), merged in member order so
 * private flakes come first and shadow public ids; the proxy serves its cached copy when the upstream is down.
 */
class FlakesRegistryIT
{
  /** The binary-cache upstream of these proxies; registry tests never use it. */
  private static final String UNUSED_CACHE = "http://127.0.0.1:9";

  /** The public registry: nixpkgs, an id the team's private flake shadows, and one more. */
  private static final String PUBLIC = "{\"version\":2,\"flakes\":["
      + "{\"from\":{\"type\":\"indirect\",\"id\":\"nixpkgs\"},"
      + "\"to\":{\"type\":\"github\",\"owner\":\"NixOS\",\"repo\":\"nixpkgs\",\"ref\":\"nixpkgs-unstable\"}},"
      + "{\"from\":{\"type\":\"indirect\",\"id\":\"mytool\"},"
      + "\"to\":{\"type\":\"github\",\"owner\":\"someone-else\",\"repo\":\"mytool\"}},"
      + "{\"from\":{\"type\":\"indirect\",\"id\":\"templates\"},"
      + "\"to\":{\"type\":\"github\",\"owner\":\"NixOS\",\"repo\":\"templates\"}}]}";

  private static NexusServer nexus;

  private static NexusRest rest;

  private static String password;

  private static RawHttp admin;

  private static RegistryUpstream upstream;

  private static String hosted;

  private static String proxy;

  private static String group;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    password = nexus.adminPassword();
    admin = RawHttp.basic("admin", password);

    upstream = RegistryUpstream.start();
    upstream.publish(PUBLIC);
    String hostedName = Names.unique("team-flakes");
    hosted = rest.createNixHosted(hostedName);
    String proxyName = Names.unique("public-flakes");
    proxy = registryProxy(proxyName, upstream.url());
    String groupName = Names.unique("all-flakes");
    group = rest.createNixGroup(groupName, List.of(hostedName, proxyName), Map.of("writableMember", hostedName));

    publish(hosted + "/flakes/mytool/1.0.0.tar.gz", FlakeTarball.writing("mytool", "1.0.0", "v1"));
    // published through the group: lands in the writable member
    publish(group + "/flakes/mytool/2.0.0.tar.gz", FlakeTarball.writing("mytool", "2.0.0", "v2"));
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  /** A proxy of an upstream registry whose cached copy is always stale: every request asks the upstream. */
  private static String registryProxy(final String name, final String registryUrl) {
    Map<String, Object> request = NexusRest.nixProxyRequest(name, UNUSED_CACHE, Map.of("flakeRegistryUrl",
        registryUrl));
    request.put("proxy", Map.of("remoteUrl", UNUSED_CACHE, "contentMaxAge", 1440, "metadataMaxAge", 0));
    rest.post("/service/rest/v1/repositories/nix/proxy", request).expect(201);
    return rest.repositoryUrl(name);
  }

  private static void publish(final String url, final java.nio.file.Path tarball) {
    Curl.Result published = Curl.run("-u", "admin:" + password, "-T", tarball.toString(), url);
    assertThat(published.status()).as(published.toString()).isEqualTo(201);
  }

  private static NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", password).build();
  }

  private static List<String> ids(final JsonNode registry) {
    List<String> ids = new ArrayList<>();
    registry.get("flakes").forEach(entry -> ids.add(entry.get("from").get("id").asText()));
    return ids;
  }

  @Test
  void theGroupsRegistryPutsPrivateFlakesFirstUnderTheGroupsUrl() {
    JsonNode proxied = Json.parse(admin.get(proxy + "/flake-registry.json").bodyText());
    assertThat(ids(proxied)).containsExactly("nixpkgs", "mytool", "templates");

    RawHttp.Response response = admin.get(group + "/flake-registry.json");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonNode merged = Json.parse(response.bodyText());
    assertThat(ids(merged)).containsExactly("mytool", "nixpkgs", "templates");
    assertThat(merged.get("flakes").get(0).get("to").get("url").asText())
        .startsWith(group + "/flakes/mytool/2.0.0.tar.gz?narHash=sha256-");
    assertThat(merged.get("flakes").get(1).get("to")).isEqualTo(proxied.get("flakes").get(0).get("to"));

    // flake tarballs resolve through the members, under the group's URL
    assertThat(admin.get(group + "/flakes/mytool.tar.gz").header("Location"))
        .isEqualTo(group + "/flakes/mytool/2.0.0.tar.gz");
    assertThat(admin.get(group + "/flakes/mytool/1.0.0.tar.gz").status()).isEqualTo(200);
  }

  @Test
  void nixResolvesThePrivateFlakeThroughTheGroupsRegistryAndListsThePublicOnesAfterIt() {
    String registry = group + "/flake-registry.json";
    NixClient nix = client("group-registry");

    List<String> listed = NixFlakes.run(nix, registry, "registry", "list").assertSuccess().stdoutLines();
    assertThat(listed).filteredOn(line -> line.startsWith("global ")).extracting(line -> line.split(" ")[1])
        .containsExactly("flake:mytool", "flake:nixpkgs", "flake:templates");

    JsonNode metadata = NixFlakes.metadata(nix, registry, "mytool");
    assertThat(metadata.get("locked").get("url").asText()).startsWith(group + "/flakes/mytool/2.0.0.tar.gz?narHash=");
    assertThat(metadata.get("original").get("id").asText()).isEqualTo("mytool");
    assertThat(NixFlakes.build(nix, registry, "mytool#default")).isEqualTo("v2");
  }

  @Test
  void theProxyServesItsCachedRegistryWhenTheUpstreamFails() {
    try (RegistryUpstream flaky = RegistryUpstream.start()) {
      flaky.publish(PUBLIC);
      String cached = registryProxy(Names.unique("flaky-flakes"), flaky.url());
      String never = registryProxy(Names.unique("never-fetched"), flaky.url());
      String fresh = admin.get(cached + "/flake-registry.json").bodyText();
      assertThat(ids(Json.parse(fresh))).containsExactly("nixpkgs", "mytool", "templates");

      flaky.failAll(503);
      RawHttp.Response served = admin.get(cached + "/flake-registry.json");
      assertThat(served.status()).as(served.toString()).isEqualTo(200);
      assertThat(served.bodyText()).isEqualTo(fresh);
      // nothing cached: a 502, never a 404 (Nix would take a 404 for "no registry")
      assertThat(admin.get(never + "/flake-registry.json").status()).isEqualTo(502);

      flaky.failAll(404);
      assertThat(admin.get(cached + "/flake-registry.json").status()).isEqualTo(200);
      assertThat(admin.get(never + "/flake-registry.json").status()).isEqualTo(404);

      flaky.failAll(0);
      flaky.publish("<html>not a registry</html>");
      assertThat(admin.get(cached + "/flake-registry.json").bodyText()).isEqualTo(fresh);
      assertThat(admin.get(never + "/flake-registry.json").status()).isEqualTo(502);

      flaky.close();
      int before = flaky.requests();
      RawHttp.Response offline = admin.get(cached + "/flake-registry.json");
      assertThat(offline.status()).as(offline.toString()).isEqualTo(200);
      assertThat(offline.bodyText()).isEqualTo(fresh);
      assertThat(flaky.requests()).isEqualTo(before);
      assertThat(admin.get(never + "/flake-registry.json").status()).isEqualTo(502);

      // and Nix resolves through it with the upstream gone
      NixClient nix = client("offline-registry");
      List<String> listed = NixFlakes.run(nix, cached + "/flake-registry.json", "registry", "list")
          .assertSuccess().stdoutLines();
      assertThat(listed).anyMatch(line -> line.startsWith("global flake:nixpkgs github:NixOS/nixpkgs"));
    }
  }

  @Test
  void aGroupWhoseProxyCannotAnswerFailsRatherThanLeavingThePublicFlakesOut() {
    try (RegistryUpstream down = RegistryUpstream.start()) {
      down.failAll(500);
      String brokenProxy = Names.unique("down-flakes");
      registryProxy(brokenProxy, down.url());
      String hostedName = Names.unique("ok-flakes");
      rest.createNixHosted(hostedName);
      String broken = rest.createNixGroup(Names.unique("broken-group"), List.of(hostedName, brokenProxy), Map.of());

      RawHttp.Response response = admin.get(broken + "/flake-registry.json");
      assertThat(response.status()).as(response.toString()).isEqualTo(502);
      assertThat(response.bodyText()).contains(brokenProxy);
    }
  }

  @Test
  void flakeRegistryUrlDefaultsToChannelsNixosOrgsAndOtherSchemesAreRefused() {
    String byDefault = Names.unique("registry-default");
    rest.createNixProxy(byDefault, UNUSED_CACHE, Map.of());
    JsonNode nix = rest.get("/service/rest/v1/repositories/nix/proxy/" + byDefault).expect(200).json().get("nix");
    assertThat(nix.get("flakeRegistryUrl").asText()).isEqualTo("https://channels.nixos.org/flake-registry.json");

    NexusRest.Response invalid = rest.post("/service/rest/v1/repositories/nix/proxy", NexusRest.nixProxyRequest(
        Names.unique("registry-ftp"), UNUSED_CACHE, Map.of("flakeRegistryUrl", "ftp://x/flake-registry.json")));
    assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
    assertThat(invalid.body()).contains("must be an http(s) URL");
  }

  @Test
  void aProxyWithoutAnUpstreamRegistryServesNoneAndAGroupLeavesItOut() {
    String offName = Names.unique("no-registry");
    Map<String, Object> nixBlock = new HashMap<>();
    nixBlock.put("flakeRegistryUrl", null);
    String off = rest.createNixProxy(offName, UNUSED_CACHE, nixBlock);
    JsonNode nix = rest.get("/service/rest/v1/repositories/nix/proxy/" + offName).expect(200).json().get("nix");
    assertThat(nix.get("flakeRegistryUrl").isNull()).as(nix.toString()).isTrue();
    RawHttp.Response none = admin.get(off + "/flake-registry.json");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.bodyText()).contains("does not proxy a flake registry");

    String hostedName = Names.unique("only-flakes");
    String only = rest.createNixHosted(hostedName);
    publish(only + "/flakes/solo/1.0.tar.gz", FlakeTarball.writing("solo", "1.0", "solo"));
    String withOff = rest.createNixGroup(Names.unique("private-only"), List.of(offName, hostedName), Map.of());

    assertThat(ids(Json.parse(admin.get(withOff + "/flake-registry.json").bodyText()))).containsExactly("solo");
  }
}
