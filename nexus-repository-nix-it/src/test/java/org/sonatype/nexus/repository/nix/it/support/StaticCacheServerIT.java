package org.sonatype.nexus.repository.nix.it.support;

import java.nio.file.Path;
import java.util.List;

import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer.Fault;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream stand-in for proxy tests, checked against the real Nix client (no Nexus involved): it
 * serves a cache Nix can substitute from, counts requests, and its injected faults have the effect the
 * protocol notes describe (a 503 is retried, a truncated NAR is resumed with a Range request).
 */
class StaticCacheServerIT
{
  private static ClosureGenerator closure;

  @BeforeAll
  static void build() {
    closure = ClosureGenerator.get();
  }

  private static NixClient.Result substitute(final StaticCacheServer server, final String path) {
    return NixClient.create().run(NixClient.realiseArgs(ItDirs.newTempDir("store"), server.url(), List.of(path), false),
        NixClient.DEFAULT_TIMEOUT);
  }

  @Test
  void servesAClosureNixCanSubstitute() {
    try (StaticCacheServer server = StaticCacheServer.create(closure.nix(), "zstd", List.of(closure.root()))) {
      Path store = ItDirs.newTempDir("store");
      NixClient.create().realiseInto(store, server.url(), List.of(closure.root()), false);

      for (String path : closure.allPaths()) {
        assertThat(NixClient.inStore(store, path)).as(path).exists();
      }
      assertThat(server.count("/nix-cache-info")).isEqualTo(1);
      assertThat(server.countEndingWith(".narinfo")).isEqualTo(closure.allPaths().size());
      assertThat(server.countEndingWith(".nar.zst")).isEqualTo(closure.allPaths().size());
    }
  }

  @Test
  void anInjected503IsRetriedByNix() {
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("retry"));
    try (StaticCacheServer server = StaticCacheServer.create(closure.nix(), "none", List.of(fresh.root()))) {
      String narinfo = "/" + hashPart(fresh.root()) + ".narinfo";
      server.faults(r -> r.path().equals(narinfo) && r.count() == 1 ? Fault.status(503) : Fault.NONE);

      NixClient.Result result = substitute(server, fresh.root());

      assertThat(result.ok()).as(result.toString()).isTrue();
      assertThat(server.count(narinfo)).as(server.requests().toString()).isEqualTo(2);
    }
  }

  @Test
  void aTruncatedNarIsResumedWithARangeRequest() {
    String large = closure.largePath(3_000_000);
    try (StaticCacheServer server = StaticCacheServer.create(closure.nix(), "none", List.of(large))) {
      server.faults(r -> r.path().startsWith("/nar/") && r.count() == 1 ? Fault.truncate(500_000) : Fault.NONE);

      NixClient.Result result = substitute(server, large);

      assertThat(result.ok()).as(result.toString()).isTrue();
      assertThat(server.requests()).as(server.requests().toString())
          .anyMatch(line -> line.startsWith("GET /nar/") && line.contains("[Range: bytes=500000-]") && line.endsWith("206"));
    }
  }

  @Test
  void aNeverAnsweredRequestDoesNotBlockClose() {
    StaticCacheServer server = StaticCacheServer.create(closure.nix(), "none", List.of(closure.fresh(Names.unique("hang")).root()));
    server.faults(r -> Fault.hang());
    Thread client = new Thread(() -> {
      try {
        java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/nix-cache-info")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
      }
      catch (Exception expected) {
        // the server goes away under it
      }
    });
    client.start();
    while (server.count("/nix-cache-info") == 0) {
      Thread.onSpinWait();
    }
    server.close();
    assertThat(server.requests()).containsExactly("GET /nix-cache-info -> (hung)");
  }

  private static String hashPart(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }
}
