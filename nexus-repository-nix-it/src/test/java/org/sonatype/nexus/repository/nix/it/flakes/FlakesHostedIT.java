package org.sonatype.nexus.repository.nix.it.flakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.NixFlakes;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A team publishes its own flake to a nix-hosted repository with curl (or the Components API) and the real Nix 2.8
 * fetches it by version, by its latest URL and through the repository's registry; the HTTP contract Nix relies on
 * (tarball extensions, ETags, query strings, the immutable Link) and the immutability of versions.
 */
class FlakesHostedIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp admin;

  private static String password;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    password = nexus.adminPassword();
    admin = RawHttp.basic("admin", password);
  }

  private static NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", password).build();
  }

  private static Curl.Result publish(final String url, final Path tarball) {
    return Curl.run("-u", "admin:" + password, "-T", tarball.toString(), url);
  }

  @Test
  void theNewestVersionIsChosenByVersionOrderAndLockedByItsImmutableUrl() {
    String repo = rest.createNixHosted(Names.unique("flakes"));
    String flake = Names.unique("mytool");
    Path newer = FlakeTarball.writing(flake, "1.10.0", "v1.10");
    Path older = FlakeTarball.writing(flake, "1.9.0", "v1.9");

    // the newer version first: the order is the versions', not the uploads'
    Curl.Result published = publish(repo + "/flakes/" + flake + "/1.10.0.tar.gz", newer);
    assertThat(published.status()).as(published.toString()).isEqualTo(201);
    assertThat(publish(repo + "/flakes/" + flake + "/1.9.0.tar.gz", older).status()).isEqualTo(201);

    NixClient nix = client("hosted-flakes");
    String narHash = NixFlakes.hashPath(nix, FlakeTarball.sourceDirectory(newer));
    String immutable = repo + "/flakes/" + flake + "/1.10.0.tar.gz?narHash="
        + URLEncoder.encode(narHash, StandardCharsets.UTF_8) + "&lastModified=" + newestMtime(newer);

    RawHttp.Response latest = admin.get(repo + "/flakes/" + flake + ".tar.gz");
    assertThat(latest.status()).as(latest.toString()).isEqualTo(302);
    assertThat(latest.header("Location")).isEqualTo(repo + "/flakes/" + flake + "/1.10.0.tar.gz");
    assertThat(latest.header("Link")).isEqualTo("<" + immutable + ">; rel=\"immutable\"");
    assertThat(latest.header("ETag")).isNull();

    JsonNode registry = Json.parse(admin.get(repo + "/flake-registry.json").bodyText());
    assertThat(registry.get("version").asInt()).isEqualTo(2);
    assertThat(registry.get("flakes")).hasSize(1);
    JsonNode entry = registry.get("flakes").get(0);
    assertThat(entry.get("from")).isEqualTo(Json.parse("{\"type\":\"indirect\",\"id\":\"" + flake + "\"}"));
    assertThat(entry.get("to").get("type").asText()).isEqualTo("tarball");
    assertThat(entry.get("to").get("url").asText()).isEqualTo(immutable);
    assertThat(entry.get("to").get("narHash").asText()).isEqualTo(narHash);

    // the narHash Nexus computed is the one Nix computes when it fetches the version's URL itself
    JsonNode metadata = NixFlakes.metadata(nix, null, repo + "/flakes/" + flake + "/1.9.0.tar.gz");
    assertThat(metadata.get("locked").get("narHash").asText())
        .isEqualTo(NixFlakes.hashPath(nix, FlakeTarball.sourceDirectory(older)));
    assertThat(NixFlakes.metadata(nix, null, immutable).get("locked").get("narHash").asText()).isEqualTo(narHash);

    // through the latest URL and through the repository's own registry
    assertThat(NixFlakes.build(nix, null, repo + "/flakes/" + flake + ".tar.gz#default")).isEqualTo("v1.10");
    assertThat(NixFlakes.metadata(client("hosted-registry"), repo + "/flake-registry.json", flake)
        .get("locked").get("url").asText()).isEqualTo(immutable);
    assertThat(NixFlakes.build(client("hosted-registry-build"), repo + "/flake-registry.json", flake + "#default"))
        .isEqualTo("v1.10");
  }

  @Test
  void aTarballIsServedAsPublishedWithAStrongETagWhateverTheQuery() {
    String repo = rest.createNixHosted(Names.unique("flakes"));
    Path tarball = FlakeTarball.writingXz("served", "2.0.0", "served");
    String url = repo + "/flakes/served/2.0.0.tar.xz";
    assertThat(publish(url, tarball).status()).isEqualTo(201);

    RawHttp.Response got = admin.get(url);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(read(tarball));
    assertThat(got.header("Content-Encoding")).isNull();
    String etag = got.header("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"");

    // Nix 2.8 sends the narHash of the URL it locked along with the request
    RawHttp.Response withQuery = admin.get(url + "?narHash=sha256-AAAA%3D&lastModified=1");
    assertThat(withQuery.status()).isEqualTo(200);
    assertThat(withQuery.body()).isEqualTo(read(tarball));
    assertThat(admin.get(url, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
    assertThat(admin.head(url).status()).isEqualTo(200);

    // the latest URL may use any tarball extension; it redirects to the version's own
    RawHttp.Response latest = admin.get(repo + "/flakes/served.tar.gz", Map.of("If-None-Match", etag));
    assertThat(latest.status()).isEqualTo(302);
    assertThat(latest.header("Location")).isEqualTo(url);

    RawHttp.Response registry = admin.get(repo + "/flake-registry.json");
    assertThat(registry.header("Content-Type")).startsWith("application/json");
    assertThat(registry.header("ETag")).startsWith("\"");
    assertThat(admin.get(repo + "/flake-registry.json", Map.of("If-None-Match", registry.header("ETag"))).status())
        .isEqualTo(304);

    assertThat(admin.get(repo + "/flakes/served/9.9.9.tar.gz").status()).isEqualTo(404);
    assertThat(admin.get(repo + "/flakes/nothing.tar.gz").status()).isEqualTo(404);
    assertThat(RawHttp.anonymous().get(repo + "/flake-registry.json").status()).isEqualTo(401);
  }

  @Test
  void versionsAreImmutable() {
    String repo = rest.createNixHosted(Names.unique("flakes"));
    Path original = FlakeTarball.writing("fixed", "1.0.0", "original");
    String url = repo + "/flakes/fixed/1.0.0.tar.gz";
    assertThat(publish(url, original).status()).isEqualTo(201);

    Curl.Result again = publish(url, original);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.body()).contains("unchanged");

    Curl.Result other = publish(url, FlakeTarball.writing("fixed", "1.0.0", "changed"));
    assertThat(other.status()).as(other.toString()).isEqualTo(409);
    assertThat(other.body()).contains("publish a new version");

    Curl.Result otherFormat = publish(repo + "/flakes/fixed/1.0.0.tar.xz", FlakeTarball.writingXz("fixed", "1.0.0",
        "original"));
    assertThat(otherFormat.status()).as(otherFormat.toString()).isEqualTo(409);
    assertThat(otherFormat.body()).contains("already published as flakes/fixed/1.0.0.tar.gz");

    assertThat(admin.get(url).body()).isEqualTo(read(original));
    assertThat(admin.get(repo + "/flakes/fixed/1.0.0.tar.xz").status()).isEqualTo(404);
  }

  @Test
  void eachVersionIsASearchableComponentAndDeletingTheNewestMovesTheLatestBack() {
    String name = Names.unique("flakes");
    String repo = rest.createNixHosted(name);
    String flake = Names.unique("searchable");
    publish(repo + "/flakes/" + flake + "/0.1.0.tar.gz", FlakeTarball.writing(flake, "0.1.0", "a"));
    publish(repo + "/flakes/" + flake + "/0.2.0.tar.gz", FlakeTarball.writing(flake, "0.2.0", "b"));

    JsonNode found = rest.searchUntil(Map.of("repository", name, "name", flake),
        answer -> answer.get("items").size() == 2, Duration.ofSeconds(30));
    for (JsonNode component : found.get("items")) {
      assertThat(component.get("group").asText()).isEqualTo("flakes");
      assertThat(component.get("assets").get(0).get("path").asText())
          .isEqualTo("/flakes/" + flake + "/" + component.get("version").asText() + ".tar.gz");
    }

    assertThat(admin.get(repo + "/flakes/" + flake + ".tar.gz").header("Location")).endsWith("/0.2.0.tar.gz");
    assertThat(admin.delete(repo + "/flakes/" + flake + "/0.2.0.tar.gz").status()).isEqualTo(204);
    assertThat(admin.get(repo + "/flakes/" + flake + ".tar.gz").header("Location")).endsWith("/0.1.0.tar.gz");
    assertThat(admin.get(repo + "/flake-registry.json").bodyText()).contains("/0.1.0.tar.gz").doesNotContain("0.2.0");
    assertThat(admin.delete(repo + "/flakes/" + flake + "/0.2.0.tar.gz").status()).isEqualTo(404);
  }

  @Test
  void theComponentsApiUploadsAFlake() {
    String name = Names.unique("flakes");
    String repo = rest.createNixHosted(name);
    JsonNode spec = rest.get("/service/rest/v1/formats/nix/upload-specs").expect(200).json();
    assertThat(spec.get("componentFields").findValuesAsText("name")).contains("name", "version", "channel");

    Path tarball = FlakeTarball.writing("uploaded", "3.1.4", "uploaded");
    Curl.Result uploaded = Curl.run("-u", "admin:" + password, "-F", "nix.name=uploaded", "-F", "nix.version=3.1.4",
        "-F", "nix.asset=@" + tarball + ";filename=uploaded-3.1.4.tar.gz",
        nexus.baseUrl() + "/service/rest/v1/components?repository=" + name);
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(204);
    assertThat(admin.get(repo + "/flakes/uploaded/3.1.4.tar.gz").body()).isEqualTo(read(tarball));
    assertThat(admin.get(repo + "/flakes/uploaded.tar.gz").header("Location"))
        .isEqualTo(repo + "/flakes/uploaded/3.1.4.tar.gz");

    Curl.Result again = Curl.run("-u", "admin:" + password, "-F", "nix.name=uploaded", "-F", "nix.version=3.1.4",
        "-F", "nix.asset=@" + FlakeTarball.writing("uploaded", "3.1.4", "other") + ";filename=x.tar.gz",
        nexus.baseUrl() + "/service/rest/v1/components?repository=" + name);
    assertThat(again.status()).as(again.toString()).isEqualTo(409);

    Curl.Result noVersion = Curl.run("-u", "admin:" + password, "-F", "nix.name=uploaded",
        "-F", "nix.asset=@" + tarball, nexus.baseUrl() + "/service/rest/v1/components?repository=" + name);
    assertThat(noVersion.status()).as(noVersion.toString()).isEqualTo(400);
    assertThat(noVersion.body()).contains("Flake version");
  }

  /** What Nix ≥ 2.20 records as the tarball's lastModified: the newest mtime of anything in it, in seconds. */
  private static long newestMtime(final Path tarball) {
    try (Stream<Path> files = Files.walk(FlakeTarball.sourceDirectory(tarball))) {
      return files.mapToLong(file -> {
        try {
          return Files.getLastModifiedTime(file).toMillis() / 1000;
        }
        catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).max().orElseThrow();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(final Path file) {
    try {
      return Files.readAllBytes(file);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
