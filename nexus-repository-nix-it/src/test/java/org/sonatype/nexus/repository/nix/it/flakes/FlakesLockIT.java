package org.sonatype.nexus.repository.nix.it.flakes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
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
 * A consumer flake takes a private flake by its registry id ({@code inputs.mytool.url = "mytool"}). Its lock file
 * records the immutable URL of the version the registry pointed at, with its NAR hash, so publishing a newer
 * version changes nothing for builds from that lock file until the input is updated on purpose: reproducible on
 * Nix 2.8, which locks whatever URL the registry names.
 */
class FlakesLockIT
{
  private static NexusServer nexus;

  private static String password;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    password = nexus.adminPassword();
  }

  /** A new client for each step: its fetcher and registry caches must not answer for Nexus. */
  private static NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", password).option("tarball-ttl", "0").build();
  }

  private static void publish(final String url, final Path tarball) {
    Curl.Result published = Curl.run("-u", "admin:" + password, "-T", tarball.toString(), url);
    assertThat(published.status()).as(published.toString()).isEqualTo(201);
  }

  @Test
  void aLockedInputKeepsItsVersionWhenANewerOneIsPublished() throws IOException {
    NexusRest rest = nexus.rest();
    String hostedName = Names.unique("lock-flakes");
    String hosted = rest.createNixHosted(hostedName);
    String group = rest.createNixGroup(Names.unique("lock-group"), List.of(hostedName), Map.of());
    String registry = group + "/flake-registry.json";
    String flake = Names.unique("mytool");
    Path v1 = FlakeTarball.writing(flake, "1.0.0", "v1");
    publish(hosted + "/flakes/" + flake + "/1.0.0.tar.gz", v1);

    Path consumer = ItDirs.newTempDir("consumer").resolve("app");
    Files.createDirectories(consumer);
    Files.writeString(consumer.resolve("flake.nix"), "{\n"
        + "  inputs." + flake + ".url = \"" + flake + "\";\n"
        + "  outputs = { self, " + flake + " }: {\n"
        + "    packages.x86_64-linux.default = " + flake + ".packages.x86_64-linux.default;\n"
        + "  };\n"
        + "}\n");

    // path:, not a bare path: the test directory is inside this project's git work tree, and Nix would take the
    // whole work tree as a git flake
    String app = "path:" + consumer;
    NixFlakes.run(client("lock"), registry, "flake", "lock", app).assertSuccess();
    JsonNode lock = Json.parse(Files.readString(consumer.resolve("flake.lock")));
    JsonNode node = lock.get("nodes").get(flake);
    String v1Hash = NixFlakes.hashPath(client("hash"), FlakeTarball.sourceDirectory(v1));
    assertThat(node.get("original")).isEqualTo(Json.parse("{\"id\":\"" + flake + "\",\"type\":\"indirect\"}"));
    assertThat(node.get("locked").get("type").asText()).isEqualTo("tarball");
    assertThat(node.get("locked").get("url").asText())
        .startsWith(group + "/flakes/" + flake + "/1.0.0.tar.gz?narHash=");
    assertThat(node.get("locked").get("narHash").asText()).isEqualTo(v1Hash);
    assertThat(NixFlakes.build(client("build-v1"), registry, app + "#default")).isEqualTo("v1");

    // a newer version moves the registry, not the lock
    publish(hosted + "/flakes/" + flake + "/1.1.0.tar.gz", FlakeTarball.writing(flake, "1.1.0", "v1.1"));
    String lockText = Files.readString(consumer.resolve("flake.lock"));
    assertThat(NixFlakes.build(client("build-locked"), registry, app + "#default")).isEqualTo("v1");
    assertThat(Files.readString(consumer.resolve("flake.lock"))).isEqualTo(lockText);

    // updating the input on purpose takes the newer version
    NixFlakes.run(client("update"), registry, "flake", "lock", "--update-input", flake, app)
        .assertSuccess();
    assertThat(Json.parse(Files.readString(consumer.resolve("flake.lock"))).get("nodes").get(flake).get("locked")
        .get("url").asText()).startsWith(group + "/flakes/" + flake + "/1.1.0.tar.gz?narHash=");
    assertThat(NixFlakes.build(client("build-v1.1"), registry, app + "#default")).isEqualTo("v1.1");
  }

  @Test
  void nixChecksTheNarHashTheRegistryNames() throws IOException {
    // the narHash in the registry entry is checked by Nix 2.8: a tarball changed behind the registry's back
    // (here: a hand-made registry naming v1's URL with another hash) is refused, not silently locked
    NexusRest rest = nexus.rest();
    String hosted = rest.createNixHosted(Names.unique("checked-flakes"));
    publish(hosted + "/flakes/checked/1.0.0.tar.gz", FlakeTarball.writing("checked", "1.0.0", "checked"));
    JsonNode entry = Json.parse(RawHttp.basic("admin", password).get(hosted + "/flake-registry.json").bodyText())
        .get("flakes").get(0);
    String wrong = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    Path file = ItDirs.newTempDir("registry").resolve("registry.json");
    Files.writeString(file, "{\"version\":2,\"flakes\":[{\"from\":" + entry.get("from") + ",\"to\":{\"type\":"
        + "\"tarball\",\"url\":" + entry.get("to").get("url") + ",\"narHash\":\"" + wrong + "\"}}]}");

    NixClient.Result refused = NixFlakes.run(client("checked"), file.toString(), "flake", "metadata", "checked");
    assertThat(refused.ok()).as(refused.toString()).isFalse();
    assertThat(refused.stderr()).contains("NAR hash mismatch");
    assertThat(NixFlakes.metadata(client("unchanged"), hosted + "/flake-registry.json", "checked")
        .get("locked").get("narHash").asText()).isEqualTo(entry.get("to").get("narHash").asText());
  }
}
