package org.sonatype.nexus.repository.nix.it.flakes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.RefusedUploads;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishes Nix could not use as a flake, or that name no valid flake version, are refused with a 400 saying why,
 * and leave nothing behind: no version, no component, no asset, no registry entry.
 */
class FlakesBadUploadIT
{
  private RefusedUploads repository;

  @BeforeEach
  void newRepository() {
    repository = RefusedUploads.newRepository("bad-flakes");
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
    RawHttp.Response response = repository.http().put(repository.url() + "/flakes/f/1.0.tar.gz", null, new byte[0]);

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
    RawHttp.Response registry = repository.http().put(repository.url() + "/flake-registry.json",
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
    return repository.componentsApi("nix.name=" + flake, "nix.version=" + version, "nix.asset=@" + file);
  }

  private void assertRefused(final String path, final Path tarball, final String reason) {
    repository.assertCurlRefused(path, tarball, reason);
    assertNothingStored();
  }

  private void assertNothingStored() {
    RawHttp admin = repository.http();
    assertThat(admin.get(repository.url() + "/flakes/f.tar.gz").status()).isEqualTo(404);
    assertThat(admin.get(repository.url() + "/flakes/f/1.0.tar.gz").status()).isEqualTo(404);
    assertThat(Json.parse(admin.get(repository.url() + "/flake-registry.json").bodyText()).get("flakes")).isEmpty();
    repository.assertNoComponentsOrAssets();
  }
}
