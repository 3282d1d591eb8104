package org.sonatype.nexus.repository.nix.it.channels;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.RefusedUploads;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deploys nix-channel could not use, or that name no valid snapshot, are refused with a 400 saying why, and leave
 * nothing behind: no snapshot, no component, no asset.
 */
class ChannelsBadDeployIT
{
  private RefusedUploads repository;

  @BeforeEach
  void newRepository() {
    repository = RefusedUploads.newRepository("bad-deploys");
  }

  @Test
  void aGzipTarballIsRefused() {
    assertRefused("channels/c/nixpkgs/s1", ChannelTarball.gzipped("c"), "not an xz-compressed tarball");
  }

  @Test
  void somethingThatIsNoTarballAtAllIsRefused() throws Exception {
    Path text = ItDirs.newTempDir("not-a-tarball").resolve("nixexprs.tar.xz");
    Files.writeString(text, "{ ... }: { hello = \"world\"; }\n", StandardCharsets.UTF_8);
    assertRefused("channels/c/nixpkgs/s1", text, "not an xz-compressed tarball");
  }

  @Test
  void anEmptyBodyIsRefused() {
    RawHttp.Response response = repository.http().put(repository.url() + "/channels/c/nixpkgs/s1", null, new byte[0]);

    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertNothingStored();
  }

  @Test
  void twoTopLevelDirectoriesAreRefused() {
    assertRefused("channels/c/nixpkgs/s1", ChannelTarball.twoTopLevelDirectories(),
        "more than one top-level entry ('a', 'b')");
  }

  @Test
  void expressionsWithoutTheirDirectoryAreRefused() {
    assertRefused("channels/c/nixpkgs/s1", ChannelTarball.filesAtTheTop(), "is not a directory");
  }

  @Test
  void anEntryClimbingOutOfTheArchiveIsRefused() {
    assertRefused("channels/c/nixpkgs/s1", ChannelTarball.withDotDotEntry("c"), "has a '..' segment");
  }

  @Test
  void invalidChannelAndSnapshotNamesAndFlavorsAreRefused() {
    Path good = ChannelTarball.withHello("c", "good");
    assertRefused("channels/.hidden/nixpkgs/s1", good, "channel name '.hidden' is not valid");
    assertRefused("channels/c/darwin/s1", good, "'darwin' is not a flavor");
    assertRefused("channels/c/nixpkgs/-s1", good, "snapshot name '-s1' is not valid");
    assertRefused("channels/c/nixpkgs/s1/default.nix", good, "a snapshot holds only nixexprs.tar.xz");
    assertRefused("channels/c", good, "names no snapshot");
  }

  @Test
  void traversalInTheUrlIsRefused() {
    Path good = ChannelTarball.withHello("c", "good");
    // the server normalises ".." (plain or %2e%2e) before the repository sees the path; what is left names no
    // snapshot; an encoded slash becomes a path segment too many
    assertRefused("channels/c/nixpkgs/../s1", good, "is not a channel path");
    assertRefused("channels/c/nixpkgs/%2e%2e/nixexprs.tar.xz", good, "names no snapshot");
    assertRefused("channels/c/nixpkgs/a%2Fb", good, "is not a channel path");
  }

  @Test
  void theComponentsApiRefusesWhatHttpDeploysRefuse() {
    Curl.Result result = repository.componentsApi("nix.channel=c", "nix.flavor=nixpkgs", "nix.snapshot=s1",
        "nix.asset=@" + ChannelTarball.twoTopLevelDirectories());

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.body()).contains("more than one top-level entry");
    assertNothingStored();
  }

  private void assertRefused(final String path, final Path tarball, final String reason) {
    repository.assertCurlRefused(path, tarball, reason);
    assertNothingStored();
  }

  private void assertNothingStored() {
    RawHttp admin = repository.http();
    assertThat(admin.get(repository.url() + "/channels/c").status()).isEqualTo(404);
    assertThat(admin.get(repository.url() + "/channels/c/nixpkgs/s1").status()).isEqualTo(404);
    repository.assertNoComponentsOrAssets();
  }
}
