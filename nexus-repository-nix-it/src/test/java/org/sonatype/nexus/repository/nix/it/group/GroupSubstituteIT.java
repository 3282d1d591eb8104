package org.sonatype.nexus.repository.nix.it.group;

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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One substituter URL over hosted and proxy members: private paths from hosted, their public dependencies
 * through the proxy, the first member winning when both have a path, and hosted content still served when the
 * proxy's upstream is down.
 */
class GroupSubstituteIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp http;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    rest = nexus.rest();
    http = RawHttp.basic("admin", nexus.adminPassword());
  }

  @Test
  void aClosureSplitBetweenHostedAndTheUpstreamSubstitutesThroughTheGroup() {
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("group-split"));
    try (StaticCacheServer upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd",
        List.of(fresh.dependency()))) {
      Members members = members(upstream, fresh.root());

      Path store = ItDirs.newTempDir("group-store");
      client().realiseInto(store, members.groupUrl, List.of(fresh.root()), false);

      assertThat(NixClient.inStore(store, fresh.root())).exists();
      assertThat(NixClient.inStore(store, fresh.dependency())).exists();
      assertThat(upstream.countEndingWith(".narinfo")).isGreaterThan(0);
    }
  }

  @Test
  void theFirstMemberThatHasAPathAnswersWithItsOwnNar() {
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("group-order"));
    String first = Names.unique("first");
    String second = Names.unique("second");
    client().copyTo(rest.createNixHosted(first) + "?compression=xz", fresh.paths());
    client().copyTo(rest.createNixHosted(second) + "?compression=zstd", fresh.paths());
    String group = rest.createNixGroup(Names.unique("group-order"), List.of(first, second), Map.of());
    String rootHash = hashPart(fresh.root());

    String narInfo = http.get(group + "/" + rootHash + ".narinfo").bodyText();
    String narUrl = field(narInfo, "URL");
    RawHttp.Response nar = http.get(group + "/" + narUrl);
    String firstsNarInfo = http.get(rest.repositoryUrl(first) + "/" + rootHash + ".narinfo").bodyText();

    assertThat(field(narInfo, "Compression")).isEqualTo("xz");
    assertThat(narUrl).contains("?hash=" + rootHash);
    assertThat(nar.status()).isEqualTo(200);
    assertThat(nar.body()).isEqualTo(http.get(rest.repositoryUrl(first) + "/" + field(firstsNarInfo, "URL")).body());
    Path store = ItDirs.newTempDir("group-order-store");
    client().realiseInto(store, group, List.of(fresh.root()), false);
    assertThat(NixClient.inStore(store, fresh.root())).exists();
  }

  @Test
  void withTheProxysUpstreamDownHostedPathsStillSubstituteAndUncachedPublicPathsAreServerErrors() {
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("group-down"));
    StaticCacheServer upstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd",
        List.of(fresh.dependency()));
    Members members = members(upstream, fresh.root());
    // hosted gets the whole closure this time, the upstream goes away
    client().copyTo(members.hostedUrl, List.of(fresh.dependency()));
    upstream.close();

    Path store = ItDirs.newTempDir("group-down-store");
    client().realiseInto(store, members.groupUrl, List.of(fresh.root()), false);
    RawHttp.Response publicPath = http.get(members.groupUrl + "/" + "1".repeat(32) + ".narinfo");

    assertThat(NixClient.inStore(store, fresh.root())).exists();
    assertThat(publicPath.status()).as(publicPath.toString()).isBetween(500, 599);
  }

  @Test
  void aMissInEveryHealthyMemberIsNotFound() {
    String hosted = Names.unique("group-miss-hosted");
    rest.createNixHosted(hosted);
    String group = rest.createNixGroup(Names.unique("group-miss"), List.of(hosted), Map.of());

    assertThat(http.get(group + "/" + "2".repeat(32) + ".narinfo").status()).isEqualTo(404);
    assertThat(http.get(group + "/nix-cache-info").bodyText()).contains("StoreDir: /nix/store").contains("Priority: 30");
  }

  @Test
  void aHashParameterThatIsNoStoreHashIsABadRequestBeforeAnyMemberIsAsked() {
    String hosted = Names.unique("group-hash-hosted");
    rest.createNixHosted(hosted);
    String group = rest.createNixGroup(Names.unique("group-hash"), List.of(hosted), Map.of());

    for (String hash : List.of("e".repeat(32), "2".repeat(31), "..%2F..%2Fnix-cache-info", "2".repeat(33))) {
      RawHttp.Response response = http.get(group + "/nar/" + "2".repeat(52) + ".nar.xz?hash=" + hash);
      assertThat(response.status()).as(hash + ": " + response).isEqualTo(400);
      assertThat(response.bodyText()).contains("?hash= must be the 32-character hash part of a store path");
    }
  }

  // ---- helpers

  private record Members(String hostedUrl, String groupUrl)
  {
  }

  /** A group of [hosted with {@code hostedPath} (its dependencies are not required), proxy of the upstream]. */
  private static Members members(final StaticCacheServer upstream, final String hostedPath) {
    String hosted = Names.unique("group-hosted");
    String hostedUrl = rest.createNixHosted(hosted, Map.of("requireCompleteClosure", false), "allow_once");
    String proxy = Names.unique("group-proxy");
    rest.createNixProxy(proxy, upstream.url(), Map.of());
    // only the top path: its dependency is public, i.e. only upstream. nix copy refuses to push a path without its
    // references, so upload just its NAR and narinfo, as nix copy writes them to a file:// cache
    uploadWithoutReferences(hostedUrl, hostedPath);
    String group = rest.createNixGroup(Names.unique("group"), List.of(hosted, proxy), Map.of());
    return new Members(hostedUrl, group);
  }

  private static void uploadWithoutReferences(final String hostedUrl, final String path) {
    Path cache = ItDirs.newTempDir("top-only");
    client().copyTo("file://" + cache + "?compression=zstd", List.of(path));
    try {
      String narInfo = java.nio.file.Files.readString(cache.resolve(hashPart(path) + ".narinfo"));
      String narUrl = field(narInfo, "URL");
      assertThat(http.put(hostedUrl + "/" + narUrl, "application/x-nix-nar",
          java.nio.file.Files.readAllBytes(cache.resolve(narUrl))).status()).isEqualTo(201);
      assertThat(http.put(hostedUrl + "/" + hashPart(path) + ".narinfo", "text/x-nix-narinfo",
          narInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(201);
    }
    catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static NixClient client() {
    return NixClient.builder().name("group-client").netrc("127.0.0.1", "admin", NexusServer.get().adminPassword())
        .build();
  }

  static String hashPart(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  static String field(final String narInfo, final String name) {
    return narInfo.lines().filter(l -> l.startsWith(name + ": ")).findFirst().orElseThrow()
        .substring(name.length() + 2);
  }
}
