package org.sonatype.nexus.repository.nix.it.hosted;

import java.nio.file.Path;
import java.util.List;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files Nix stores next to narinfos and NARs: build logs ({@code nix store copy-log} / {@code nix log}),
 * realisations of content-addressed derivations, and the debuginfo index of {@code index-debug-info}.
 */
class HostedLogsRealisationsDebugInfoIT
{
  private static NexusServer nexus;

  private static ClosureGenerator closure;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    closure = ClosureGenerator.get();
  }

  @Test
  void aBuildLogCopiedWithCopyLogIsPrintedByNixLog() {
    String url = nexus.rest().createNixHosted(Names.unique("hosted-log"));
    String path = closure.pathWithBuildLog();
    NixClient pusher = client("pusher");
    pusher.copyTo(url + "?compression=zstd", List.of(path));

    pusher.run("nix", "store", "copy-log", "--to", url, path).assertSuccess();
    NixClient.Result log = client("reader").run("nix", "log", "--store", url, path).assertSuccess();

    assertThat(log.stdout()).contains("building gen-with-log").contains("second line of the log");
  }

  @Test
  void aContentAddressedDerivationSubstitutesThroughItsRealisation() {
    String url = nexus.rest().createNixHosted(Names.unique("hosted-ca"));
    String output = closure.contentAddressedPath();
    Path expression = closure.contentAddressedExpression();
    client("pusher").run("nix", "copy", "--extra-experimental-features", "ca-derivations", "--to", url,
        "-f", expression.toString()).assertSuccess();

    // --max-jobs 0: the output may only come from the cache, which has it under a realisation of the derivation
    Path store = ItDirs.newTempDir("store");
    NixClient.Result build = client("builder").run("nix", "build", "--extra-experimental-features", "ca-derivations",
        "--store", store.toString(), "-f", expression.toString(), "--no-link", "--max-jobs", "0",
        "--option", "substituters", url, "--option", "require-sigs", "false");

    assertThat(build.ok()).as(build.toString()).isTrue();
    assertThat(NixClient.inStore(store, output)).exists();
  }

  @Test
  void indexDebugInfoStoresTheBuildIdIndex() {
    String url = nexus.rest().createNixHosted(Names.unique("hosted-debuginfo"));
    client("pusher").copyTo(url + "?index-debug-info=true", List.of(closure.debugInfoPath()));

    RawHttp.Response index = RawHttp.basic("admin", nexus.adminPassword())
        .get(url + "/debuginfo/" + ClosureGenerator.DEBUG_BUILD_ID + ".debug");

    assertThat(index.status()).as(index.toString()).isEqualTo(200);
    assertThat(index.bodyText()).contains("\"archive\"").contains("\"member\"")
        .contains("lib/debug/.build-id/ab/");
  }

  private NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword())
        .configLine("extra-experimental-features = ca-derivations")
        .build();
  }
}
