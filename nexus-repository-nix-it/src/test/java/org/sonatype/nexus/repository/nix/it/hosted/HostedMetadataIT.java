package org.sonatype.nexus.repository.nix.it.hosted;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a pushed store path looks like in Nexus (components, search) and over HTTP (content types, caching
 * headers, ranges, HEAD).
 */
class HostedMetadataIT
{
  private static NexusServer nexus;

  private static RawHttp http;

  private static String repository;

  private static String url;

  private static ClosureGenerator.Fresh fresh;

  private static String rootHash;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    http = RawHttp.basic("admin", nexus.adminPassword());
    repository = Names.unique("hosted-meta");
    url = nexus.rest().createNixHosted(repository, Map.of("priority", 25), "allow_once");
    fresh = ClosureGenerator.get().fresh(Names.unique("meta"));
    NixClient.builder().name("pusher").netrc("127.0.0.1", "admin", nexus.adminPassword()).build()
        .copyTo(url, fresh.paths());
    rootHash = HostedPushAndSubstituteIT.hashPart(fresh.root());
  }

  @Test
  void aStorePathIsAComponentNamedAndVersionedByNixsRuleFoundByNameAndVersion() {
    // Nix's rule: the version starts at the first "-" followed by a digit ("fresh-meta-3abc-12": fresh-meta / 3abc-12)
    String baseName = fresh.root().substring("/nix/store/".length() + 33);
    java.util.regex.Matcher split = java.util.regex.Pattern.compile("-(?=[0-9])").matcher(baseName);
    String name = split.find() ? baseName.substring(0, split.start()) : baseName;
    String version = name.equals(baseName) ? "" : baseName.substring(name.length() + 1);

    JsonNode found = nexus.rest().searchUntil(
        Map.of("format", "nix", "repository", repository, "name", name, "version", version),
        answer -> answer.get("items").size() == 1, Duration.ofSeconds(30));

    JsonNode component = found.get("items").get(0);
    assertThat(component.get("name").asText()).isEqualTo(name);
    assertThat(component.get("version").asText()).isEqualTo(version);
    List<String> assets = new ArrayList<>();
    component.get("assets").forEach(asset -> assets.add(asset.get("path").asText()));
    assertThat(assets).anyMatch(path -> path.endsWith(rootHash + ".narinfo")).anyMatch(path -> path.contains("nar/"));
  }

  @Test
  void aStorePathIsFoundByItsHashPart() {
    JsonNode found = nexus.rest().searchUntil(Map.of("format", "nix", "nix.storeHash", rootHash),
        answer -> answer.get("items").size() == 1, Duration.ofSeconds(30));

    JsonNode narInfo = null;
    for (JsonNode asset : found.get("items").get(0).get("assets")) {
      if (asset.get("path").asText().endsWith(".narinfo")) {
        narInfo = asset;
      }
    }
    assertThat(narInfo).isNotNull();
    assertThat(narInfo.get("contentType").asText()).isEqualTo("text/x-nix-narinfo");
  }

  @Test
  void nixCacheInfoIsSynthesisedFromTheSettings() {
    RawHttp.Response info = http.get(url + "/nix-cache-info");

    assertThat(info.status()).isEqualTo(200);
    assertThat(info.header("Content-Type")).startsWith("text/x-nix-cache-info");
    assertThat(info.bodyText()).isEqualTo("StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 25\n");
  }

  @Test
  void narInfosAndNarsCarryNixsContentTypesAndNoContentEncoding() {
    RawHttp.Response narInfo = http.get(url + "/" + rootHash + ".narinfo");
    String narPath = narInfo.bodyText().lines().filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow()
        .substring("URL: ".length());
    RawHttp.Response nar = http.get(url + "/" + narPath, Map.of("Accept-Encoding", "gzip, br, zstd"));

    assertThat(narInfo.header("Content-Type")).startsWith("text/x-nix-narinfo");
    assertThat(nar.status()).isEqualTo(200);
    assertThat(nar.header("Content-Type")).startsWith("application/x-nix-nar");
    assertThat(nar.header("Content-Encoding")).isNull();
    assertThat(nar.header("Accept-Ranges")).isEqualTo("bytes");
  }

  @Test
  void headOfANarInfoAnswersLikeGetWithoutABody() {
    RawHttp.Response get = http.get(url + "/" + rootHash + ".narinfo");
    RawHttp.Response head = http.head(url + "/" + rootHash + ".narinfo");

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.body().length));
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aNarAnswersConditionalAndRangeRequests() {
    String narPath = http.get(url + "/" + rootHash + ".narinfo").bodyText().lines()
        .filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());
    RawHttp.Response full = http.get(url + "/" + narPath);
    String etag = full.header("ETag");

    RawHttp.Response notModified = http.get(url + "/" + narPath, Map.of("If-None-Match", etag));
    RawHttp.Response range = http.get(url + "/" + narPath, Map.of("Range", "bytes=10-19"));

    assertThat(etag).isNotNull();
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(range.status()).isEqualTo(206);
    assertThat(range.body()).containsExactly(java.util.Arrays.copyOfRange(full.body(), 10, 20));
  }
}
