package org.sonatype.nexus.repository.nix.it.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The files of the binary cache protocol besides narinfos and NARs, through a proxy and through a group over it:
 * build logs ({@code nix log}), realisations of content-addressed derivations (substitution with
 * {@code --max-jobs 0}), NAR listings ({@code <hash>.ls}) and the debuginfo index ({@code debuginfo/<build-id>}),
 * from an upstream written by {@code nix copy} and {@code nix store copy-log}.
 */
class ProxyProtocolFilesIT
{
  private static NexusServer nexus;

  private static ClosureGenerator closure;

  private static StaticCacheServer upstream;

  private static String proxyName;

  private static String proxy;

  private static String group;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    closure = ClosureGenerator.get();
    Path dir = ItDirs.newTempDir("protocol-files-cache");
    NixClient nix = closure.nix();
    String cache = "file://" + dir + "?compression=zstd&write-nar-listing=true&index-debug-info=true";
    nix.copyTo(cache, List.of(closure.pathWithBuildLog(), closure.debugInfoPath()));
    nix.run("nix", "store", "copy-log", "--to", "file://" + dir, closure.pathWithBuildLog()).assertSuccess();
    nix.run("nix", "copy", "--extra-experimental-features", "ca-derivations", "--to", cache,
        "-f", closure.contentAddressedExpression().toString()).assertSuccess();
    upstream = StaticCacheServer.serve(dir);

    proxyName = Names.unique("protocol-proxy");
    proxy = nexus.rest().createNixProxy(proxyName, upstream.url(), Map.of());
    group = nexus.rest().createNixGroup(Names.unique("protocol-group"), List.of(proxyName), Map.of());
  }

  @AfterAll
  static void tearDown() {
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void nixLogPrintsTheBuildLogThroughAProxyAndAGroup() {
    String path = closure.pathWithBuildLog();

    for (String url : List.of(proxy, group)) {
      NixClient.Result log = client("log-reader").run("nix", "log", "--store", url, path);

      assertThat(log.ok()).as(url + ": " + log).isTrue();
      assertThat(log.stdout()).as(url).contains("building gen-with-log").contains("second line of the log");
    }
  }

  @Test
  void aContentAddressedDerivationSubstitutesThroughItsRealisationViaAProxyAndAGroup() {
    String output = closure.contentAddressedPath();

    for (String url : List.of(proxy, group)) {
      // --max-jobs 0: the output may only come from the cache, under a realisation of the derivation
      Path store = ItDirs.newTempDir("ca-store");
      NixClient.Result build = client("ca-builder").run("nix", "build",
          "--extra-experimental-features", "ca-derivations", "--store", store.toString(),
          "-f", closure.contentAddressedExpression().toString(), "--no-link", "--max-jobs", "0",
          "--option", "substituters", url, "--option", "require-sigs", "false");

      assertThat(build.ok()).as(url + ": " + build).isTrue();
      assertThat(NixClient.inStore(store, output)).as(url).exists();
    }
  }

  @Test
  void aNarListingIsServedAsTheUpstreamHasItByAProxyAndAGroup() throws IOException {
    String listing = hashPart(closure.debugInfoPath()) + ".ls";
    JsonNode upstreamListing = Json.parse(Files.readString(upstream.dir().resolve(listing)));

    for (String url : List.of(proxy, group)) {
      RawHttp.Response answer = admin().get(url + "/" + listing);

      assertThat(answer.status()).as(url + ": " + answer).isEqualTo(200);
      assertThat(Json.parse(answer.bodyText())).as(url).isEqualTo(upstreamListing);
      assertThat(answer.bodyText()).as(url).contains("gen-debug-info");
    }
  }

  @Test
  void theDebugInfoIndexIsServedByAProxyAndAGroupAndItsArchiveIsTheNarOfTheStorePath() throws IOException {
    String index = "debuginfo/" + ClosureGenerator.DEBUG_BUILD_ID + ".debug";
    JsonNode upstreamIndex = Json.parse(Files.readString(upstream.dir().resolve(index)));

    for (String url : List.of(proxy, group)) {
      RawHttp.Response answer = admin().get(url + "/" + index);

      assertThat(answer.status()).as(url + ": " + answer).isEqualTo(200);
      JsonNode served = Json.parse(answer.bodyText());
      assertThat(served).as(url).isEqualTo(upstreamIndex);
      // as a debuginfo client does: the archive, relative to the index, then the member inside it
      String archive = URI.create(url + "/" + index).resolve(served.get("archive").asText()).toString();
      RawHttp.Response nar = admin().get(archive);
      assertThat(nar.status()).as(archive + ": " + nar).isEqualTo(200);
      assertThat(nar.body()).as(archive).isEqualTo(Files.readAllBytes(upstream.dir()
          .resolve(URI.create("http://upstream/" + index).resolve(served.get("archive").asText()).getPath()
              .substring(1))));
    }
  }

  @Test
  void aContentEncodedUpstreamListingIsStoredDecoded() throws IOException {
    String listing = "1111111111111111111111111111111a.ls";
    String json = "{\"version\":1,\"root\":{\"type\":\"regular\",\"size\":3,\"narOffset\":96}}";
    Files.write(upstream.dir().resolve(listing), zstd(json.getBytes(StandardCharsets.UTF_8), 1));
    upstream.contentEncoding("/" + listing, "zstd");

    RawHttp.Response answer = admin().get(proxy + "/" + listing);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.bodyText()).isEqualTo(json);
  }

  @Test
  void anUpstreamListingThatDecodesToMoreThanAProxyKeepsIsA502AndNothingIsStored() throws IOException {
    // 256 MiB and one byte of zeros: an upstream's few kilobytes that would fill the blob store if decoded whole
    String listing = "1111111111111111111111111111111b.ls";
    Files.write(upstream.dir().resolve(listing), zstd(new byte[1 << 20], 256 + 1));
    upstream.contentEncoding("/" + listing, "zstd");

    RawHttp.Response answer = admin().get(proxy + "/" + listing);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(502);
    assertThat(answer.bodyText()).contains(listing + " decodes (Content-Encoding: zstd) to more than 268435456 bytes");
    JsonNode assets = nexus.rest().get("/service/rest/v1/assets?repository=" + proxyName).expect(200).json()
        .get("items");
    assets.forEach(asset -> assertThat(asset.get("path").asText()).doesNotContain(listing));
  }

  /** {@code times} copies of {@code block}, zstd-compressed. */
  private static byte[] zstd(final byte[] block, final int times) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new ZstdOutputStream(bytes)) {
      for (int i = 0; i < times; i++) {
        out.write(block);
      }
    }
    return bytes.toByteArray();
  }

  // ---- helpers

  private static RawHttp admin() {
    return RawHttp.basic("admin", nexus.adminPassword());
  }

  private static NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword())
        .configLine("extra-experimental-features = ca-derivations")
        .build();
  }

  private static String hashPart(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }
}
