package org.sonatype.nexus.repository.nix.it.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A proxy of a static binary cache on 127.0.0.1 (what {@code nix copy --to file://} writes, the stand-in for
 * cache.nixos.org), in the layouts real upstreams use. In each: the generated closure (221 paths) substitutes
 * through the proxy; the second substitution makes no upstream request; with the upstream gone the closure still
 * substitutes, and a path never fetched is a 5xx, never the 404 Nix would remember for an hour.
 */
class ProxySubstituteIT
{
  private static final Pattern URL_LINE = Pattern.compile("(?m)^URL: (\\S+)$");

  private static NexusServer nexus;

  private static ClosureGenerator closure;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    closure = ClosureGenerator.get();
  }

  /** The upstream layouts real binary caches use; a subclass may narrow them by hiding this method. */
  static Stream<UpstreamLayout> upstreamLayouts() {
    return Stream.of(UpstreamLayout.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstreamLayouts")
  void theClosureSubstitutesColdThenWarmFromTheCacheThenWithTheUpstreamDown(final UpstreamLayout layout) {
    switch (layout) {
      case RELATIVE_XZ_NARS:
        // parallel-compression: xz on two cores is what makes this slow, not the proxy
        Path xzDir = ItDirs.newTempDir("upstream-xz");
        closure.nix().copyTo("file://" + xzDir + "?compression=xz&parallel-compression=true",
            List.of(closure.root()));
        try (StaticCacheServer upstream = StaticCacheServer.serve(xzDir)) {
          substituteThroughProxy(upstream, upstream);
        }
        break;
      case RELATIVE_ZSTD_NARS:
        try (StaticCacheServer upstream = StaticCacheServer.create(closure.nix(), "zstd", List.of(closure.root()))) {
          substituteThroughProxy(upstream, upstream);
        }
        break;
      case ABSOLUTE_NAR_URLS_ON_ANOTHER_HOST_THE_ADMINISTRATOR_ALLOWED:
        Path absoluteDir = ItDirs.newTempDir("upstream-absolute");
        StaticCacheServer.writeCache(closure.nix(), absoluteDir, "zstd", List.of(closure.root()));
        try (StaticCacheServer narHost = StaticCacheServer.serve(absoluteDir);
             StaticCacheServer upstream = StaticCacheServer.serve(absoluteDir)) {
          rewriteNarInfos(absoluteDir, (narInfo, url) -> narHost.url() + "/" + url);
          substituteThroughProxy(upstream, narHost, Map.of("allowedUpstreamOrigins", List.of(narHost.url())));
          assertThat(upstream.countEndingWith(".zst")).as("NARs come from the host the narinfos name").isZero();
        }
        break;
      case NIX_SERVE_NAMING:
        // nix-serve: uncompressed NARs at nar/<store hash>-<nar hash>.nar
        Path nixServeDir = ItDirs.newTempDir("upstream-nix-serve");
        StaticCacheServer.writeCache(closure.nix(), nixServeDir, "none", List.of(closure.root()));
        rewriteNarInfos(nixServeDir, (narInfo, url) -> {
          String storeHash = narInfo.getFileName().toString().substring(0, 32);
          String narHash = field(narInfo, "NarHash").substring("sha256:".length());
          String renamed = "nar/" + storeHash + "-" + narHash + ".nar";
          try {
            Files.move(nixServeDir.resolve(url), nixServeDir.resolve(renamed));
          }
          catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return renamed;
        });
        try (StaticCacheServer upstream = StaticCacheServer.serve(nixServeDir)) {
          substituteThroughProxy(upstream, upstream);
        }
        break;
      default:
        throw new AssertionError(layout);
    }
  }

  private void substituteThroughProxy(final StaticCacheServer upstream, final StaticCacheServer narHost) {
    substituteThroughProxy(upstream, narHost, Map.of());
  }

  private void substituteThroughProxy(final StaticCacheServer upstream, final StaticCacheServer narHost,
                                      final Map<String, ?> nix)
  {
    String proxy = nexus.rest().createNixProxy(Names.unique("proxy"), upstream.url(), nix);

    realiseAndCheck(proxy, "cold");
    int upstreamRequests = upstream.requests().size() + (narHost == upstream ? 0 : narHost.requests().size());
    assertThat(upstreamRequests).isGreaterThan(0);

    realiseAndCheck(proxy, "warm");
    int afterWarm = upstream.requests().size() + (narHost == upstream ? 0 : narHost.requests().size());
    assertThat(afterWarm).as("the second substitution is served from the proxy's cache").isEqualTo(upstreamRequests);

    upstream.close();
    narHost.close();
    realiseAndCheck(proxy, "offline");

    RawHttp.Response unknown = RawHttp.basic("admin", nexus.adminPassword())
        .get(proxy + "/" + "0".repeat(32) + ".narinfo");
    assertThat(unknown.status()).as(unknown.toString()).isBetween(500, 599);
  }

  private void realiseAndCheck(final String proxy, final String round) {
    Path store = ItDirs.newTempDir("proxy-store-" + round);
    NixClient.builder().name("substituter-" + round).netrc("127.0.0.1", "admin", nexus.adminPassword()).build()
        .realiseInto(store, proxy, List.of(closure.root()), false);
    for (String path : closure.allPaths()) {
      assertThat(NixClient.inStore(store, path)).as(round + ": " + path).exists();
    }
  }

  /** Rewrites every narinfo's URL line with {@code rewrite(narinfo file, old URL)}. */
  private static void rewriteNarInfos(final Path dir, final UrlRewrite rewrite) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path narInfo : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".narinfo"))::iterator) {
        String text = Files.readString(narInfo);
        Matcher url = URL_LINE.matcher(text);
        assertThat(url.find()).isTrue();
        String replaced = rewrite.apply(narInfo, url.group(1));
        Files.writeString(narInfo, url.replaceFirst("URL: " + Matcher.quoteReplacement(replaced)));
      }
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String field(final Path narInfo, final String name) {
    try {
      return Files.readAllLines(narInfo).stream().filter(l -> l.startsWith(name + ": ")).findFirst().orElseThrow()
          .substring(name.length() + 2);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How an upstream lays out its narinfos and NARs. */
  enum UpstreamLayout
  {
    /** What {@code nix copy --to file://} writes by default: {@code nar/<file hash>.nar.xz}, relative. */
    RELATIVE_XZ_NARS,
    /** The same with zstd, as cache.nixos.org serves newer paths. */
    RELATIVE_ZSTD_NARS,
    /** Narinfos whose URL is absolute, on another host (a CDN in front of the NARs). */
    ABSOLUTE_NAR_URLS_ON_ANOTHER_HOST_THE_ADMINISTRATOR_ALLOWED,
    /** nix-serve: uncompressed NARs named {@code nar/<store hash>-<nar hash>.nar}. */
    NIX_SERVE_NAMING
  }

  @FunctionalInterface
  private interface UrlRewrite
  {
    String apply(Path narInfo, String url);
  }
}
