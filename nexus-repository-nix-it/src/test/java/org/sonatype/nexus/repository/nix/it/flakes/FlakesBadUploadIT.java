package org.sonatype.nexus.repository.nix.it.flakes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Publishes Nix could not use as a flake, or that name no valid flake version, are refused with a 400 saying why,
 * and leave nothing behind: no version, no component, no asset, no registry entry.
 */
class FlakesBadUploadIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  private static String password;

  private String name;

  private String repo;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    password = nexus.adminPassword();
  }

  @BeforeEach
  void newRepository() {
    name = Names.unique("bad-flakes");
    repo = rest.createNixHosted(name);
  }

  @Test
  void aTarballWithoutFlakeNixIsRefused() {
    assertRefused("flakes/f/1.0.tar.gz", FlakeTarball.withoutFlakeNix(), "'src' has no flake.nix");
  }

  @Test
  void twoTopLevelDirectoriesAreRefused() {
    assertRefused("flakes/f/1.0.tar.gz", FlakeTarball.twoTopLevelDirectories(),
        "more than one top-level entry ('a', 'b')");
  }

  @Test
  void aTarballInAnotherFormatThanItsNameSaysIsRefused() throws Exception {
    assertRefused("flakes/f/1.0.tar.xz", FlakeTarball.writing("f", "1.0", "x"), "not an xz-compressed tarball");
    Path text = ItDirs.newTempDir("not-a-tarball").resolve("f.tar.gz");
    Files.writeString(text, "{ outputs = { self }: { }; }\n", StandardCharsets.UTF_8);
    assertRefused("flakes/f/1.0.tar.gz", text, "not a gzip-compressed tarball");
  }

  @Test
  void anEmptyBodyIsRefused() {
    RawHttp.Response response = RawHttp.basic("admin", password).put(repo + "/flakes/f/1.0.tar.gz", null,
        new byte[0]);

    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertNothingStored();
  }

  @Test
  void badNamesVersionsAndPathsAreRefused() {
    Path good = FlakeTarball.writing("f", "1.0", "good");
    assertRefused("flakes/my.tool/1.0.tar.gz", good, "flake name 'my.tool' is not valid");
    assertRefused("flakes/2fast/1.0.tar.gz", good, "flake name '2fast' is not valid");
    assertRefused("flakes/f/-1.0.tar.gz", good, "flake version '-1.0' is not valid");
    assertRefused("flakes/f/1.0+build.tar.gz", good, "flake version '1.0+build' is not valid");
    assertRefused("flakes/f/1.0.zip", good, "is not a flake path");
    assertRefused("flakes/f/1.0/source.tar.gz", good, "is not a flake path");
    assertRefused("flakes/f.tar.gz", good, "named by no version");
    // the server normalises ".." before the repository sees the path: what is left names no valid flake
    assertRefused("flakes/f/../1.0.tar.gz", good, "flake name '1.0' is not valid");
    RawHttp.Response registry = RawHttp.basic("admin", password).put(repo + "/flake-registry.json",
        "application/json", "{\"version\":2,\"flakes\":[]}".getBytes(StandardCharsets.UTF_8));
    assertThat(registry.status()).isEqualTo(405);
    assertNothingStored();
  }

  @Test
  void theComponentsApiRefusesWhatHttpPublishesRefuse() {
    Curl.Result broken = upload("f", "1.0", FlakeTarball.twoTopLevelDirectories() + ";filename=f.tar.gz");
    assertThat(broken.status()).as(broken.toString()).isEqualTo(400);
    assertThat(broken.body()).contains("more than one top-level entry");

    Curl.Result badName = upload("my.tool", "1.0", FlakeTarball.writing("f", "1.0", "x") + ";filename=f.tar.gz");
    assertThat(badName.status()).as(badName.toString()).isEqualTo(400);
    assertThat(badName.body()).contains("flake name 'my.tool' is not valid");

    Curl.Result badFile = upload("f", "1.0", FlakeTarball.writing("f", "1.0", "x") + ";filename=f.zip");
    assertThat(badFile.status()).as(badFile.toString()).isEqualTo(400);
    assertThat(badFile.body()).contains("is not named as a flake tarball");
    assertNothingStored();
  }

  private Curl.Result upload(final String flake, final String version, final String file) {
    return Curl.run("-u", "admin:" + password, "-F", "nix.name=" + flake, "-F", "nix.version=" + version,
        "-F", "nix.asset=@" + file, nexus.baseUrl() + "/service/rest/v1/components?repository=" + name);
  }

  private void assertRefused(final String path, final Path tarball, final String reason) {
    Curl.Result result = Curl.run("--path-as-is", "-u", "admin:" + password, "-T", tarball.toString(),
        repo + "/" + path);

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.body()).as(result.toString()).contains(reason);
    assertNothingStored();
  }

  private void assertNothingStored() {
    RawHttp admin = RawHttp.basic("admin", password);
    assertThat(admin.get(repo + "/flakes/f.tar.gz").status()).isEqualTo(404);
    assertThat(admin.get(repo + "/flakes/f/1.0.tar.gz").status()).isEqualTo(404);
    assertThat(Json.parse(admin.get(repo + "/flake-registry.json").bodyText()).get("flakes")).isEmpty();
    assertThat(rest.get("/service/rest/v1/components?repository=" + name).expect(200).json().get("items")).isEmpty();
    assertThat(rest.get("/service/rest/v1/assets?repository=" + name).expect(200).json().get("items")).isEmpty();
  }
}
