package org.sonatype.nexus.repository.nix.it.hosted;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Nexus users do today without the plugin: a raw hosted repository used as a Nix binary cache. It
 * proves the whole chain the plugin's own tests stand on: the generated closure, Nix clients with netrc
 * credentials, {@code nix copy --to} the shared Nexus and substitution into a throwaway store.
 */
class RawRepositoryAsNixCacheIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  private static ClosureGenerator closure;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    rest = nexus.rest();
    closure = ClosureGenerator.get();
  }

  private NixClient clientWithCredentials(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }

  @Test
  void pushesTheClosureAndSubstitutesItIntoAFreshStore() throws Exception {
    assertThat(closure.allPaths()).hasSizeGreaterThanOrEqualTo(200).contains(closure.root());
    String url = rest.createRawHosted(Names.unique("raw-nix"));

    Instant begin = Instant.now();
    // zstd rather than Nix's default xz: same protocol, but xz spends ~40 s of this machine's two cores
    // on the closure's 50 MiB of random bytes, which would only measure xz.
    clientWithCredentials("pusher").copyTo(url + "?compression=zstd", List.of(closure.root()));
    Duration push = Duration.between(begin, Instant.now());

    Path store = ItDirs.newTempDir("store");
    begin = Instant.now();
    clientWithCredentials("substituter").realiseInto(store, url, List.of(closure.root()), false);
    Duration pull = Duration.between(begin, Instant.now());

    for (String path : closure.allPaths()) {
      assertThat(NixClient.inStore(store, path)).as(path).exists();
    }
    assertThat(Files.readString(NixClient.inStore(store, closure.root())))
        .isEqualTo(Files.readString(Path.of(closure.root())));
    System.out.printf("[nexus-it] raw repository: nix copy of %d paths (%d NAR bytes) %d ms, substitution %d ms%n",
        closure.allPaths().size(), closure.totalNarSize(), push.toMillis(), pull.toMillis());
  }

  @Test
  void withoutCredentialsTheCacheIsUnusable() {
    String url = rest.createRawHosted(Names.unique("raw-nix-auth"));
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("auth"));
    clientWithCredentials("pusher").copyTo(url, List.of(fresh.root()));

    NixClient.Result result = NixClient.builder().name("no-netrc").build()
        .run(NixClient.realiseArgs(ItDirs.newTempDir("store"), url, List.of(fresh.root()), false), NixClient.DEFAULT_TIMEOUT);

    assertThat(result.ok()).as(result.toString()).isFalse();
    assertThat(result.stderr()).as(result.toString()).contains("does not appear to be a binary cache");
  }
}
