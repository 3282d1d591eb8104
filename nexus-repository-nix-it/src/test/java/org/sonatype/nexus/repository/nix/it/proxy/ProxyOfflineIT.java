package org.sonatype.nexus.repository.nix.it.proxy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.ChannelsUpstream;
import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.RegistryUpstream;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer.Fault;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A nix-proxy has three upstream hosts: the binary cache, the channels host and the flake registry. Here each is a
 * stand-in on a port of its own that counts every request it receives. Blocked by configuration, or auto-blocked
 * after a failure of any of them, the proxy sends none of them anything, whichever is asked first, and answers
 * with what happened; after a restart of Nexus just the same.
 */
class ProxyOfflineIT
{
  private static NexusServer nexus;

  private static RawHttp http;

  /** A static binary cache with two store paths (root and dependency), served afresh for every test. */
  private static Path cacheDir;

  private static ClosureGenerator.Fresh fresh;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    http = RawHttp.basic("admin", nexus.adminPassword());
    fresh = ClosureGenerator.get().fresh(Names.unique("offline"));
    cacheDir = ItDirs.newTempDir("offline-cache");
    StaticCacheServer.writeCache(ClosureGenerator.get().nix(), cacheDir, "zstd", fresh.paths());
  }

  /** What a client asks a proxy for, one kind per upstream host; each kind has a first and a second file. */
  enum Ask
  {
    NARINFO,
    CHANNEL,
    REGISTRY;

    String path(final boolean second) {
      switch (this) {
        case NARINFO:
          return hashPart(second ? fresh.dependency() : fresh.root()) + ".narinfo";
        case CHANNEL:
          return "channels/" + (second ? "nixos-98.98" : "nixos-99.99");
        default:
          return "flake-registry.json";
      }
    }
  }

  @Test
  void blockedByConfigurationNoUpstreamIsAskedWhateverIsAskedFirst() {
    for (List<Ask> order : everyOrder()) {
      try (Upstreams upstreams = new Upstreams()) {
        String proxy = upstreams.proxy(Names.unique("offline-blocked"), true, false);

        for (Ask ask : order) {
          RawHttp.Response answer = http.get(proxy + "/" + ask.path(false));

          assertThat(answer.status()).as(order + ", " + ask + ": " + answer).isEqualTo(404);
          assertThat(answer.header("Content-Type")).as(order + ", " + ask).startsWith("text/plain");
          assertThat(answer.bodyText()).as(order + ", " + ask).contains("blocked by configuration (offline mode)");
        }
        assertThat(upstreams.requests().values()).as(order.toString()).containsOnly(0);
      }
    }
  }

  @Test
  void aFailureOfAnyUpstreamAutoBlocksAllThreeAndTheAnswerSaysWhy() {
    for (List<Ask> order : everyOrder()) {
      try (Upstreams upstreams = new Upstreams()) {
        String proxy = upstreams.proxy(Names.unique("offline-auto"), false, true);
        Ask healthy = order.get(0);
        Ask failing = order.get(1);
        Ask after = order.get(2);
        upstreams.fail(failing);

        RawHttp.Response ok = http.get(proxy + "/" + healthy.path(false));
        RawHttp.Response failed = http.get(proxy + "/" + failing.path(false));
        Map<Ask, Integer> asked = upstreams.requests();
        RawHttp.Response blocked = http.get(proxy + "/" + after.path(false));
        RawHttp.Response blockedToo = http.get(proxy + "/" + healthy.path(true));

        assertThat(ok.status()).as(order + ": " + ok).isIn(200, 302);
        assertThat(failed.status()).as(order + ": " + failed).isEqualTo(502);
        assertThat(asked.get(failing)).as(order.toString()).isEqualTo(1);
        assertThat(asked.get(after)).as(order.toString()).isZero();
        assertThat(blocked.status()).as(order + ": " + blocked).isEqualTo(503);
        assertThat(blocked.bodyText()).as(order.toString())
            .contains("this proxy's remote is auto-blocked until")
            .contains("after Bad Gateway for " + upstreams.url(failing));
        // the first auto-block lasts 40 s: try again then, not at once
        assertThat(blocked.header("Retry-After")).as(order.toString()).matches("[1-9][0-9]*");
        assertThat(Integer.parseInt(blocked.header("Retry-After"))).as(order.toString()).isBetween(1, 40);
        if (healthy == Ask.REGISTRY) {
          // the registry it has is served; the upstream is not asked
          assertThat(blockedToo.status()).as(order + ": " + blockedToo).isEqualTo(200);
        }
        else {
          assertThat(blockedToo.status()).as(order + ": " + blockedToo).isEqualTo(503);
        }
        assertThat(upstreams.requests()).as(order + ": nothing was asked while auto-blocked").isEqualTo(asked);
      }
    }
  }

  @Test
  void withoutAutoBlockEveryRequestAsksItsUpstreamAndIsABadGateway() {
    for (List<Ask> order : everyOrder()) {
      try (Upstreams upstreams = new Upstreams()) {
        String proxy = upstreams.proxy(Names.unique("offline-failing"), false, false);
        for (Ask ask : Ask.values()) {
          upstreams.fail(ask);
        }

        for (Ask ask : order) {
          RawHttp.Response answer = http.get(proxy + "/" + ask.path(false));

          assertThat(answer.status()).as(order + ", " + ask + ": " + answer).isEqualTo(502);
        }
        assertThat(upstreams.requests().values()).as(order.toString()).containsOnly(1);
      }
    }
  }

  /**
   * Three blocked proxies, each asked first for something of another host after the restart, and a group over one
   * of them: what was cached (a narinfo, a channel) is served, everything else (a narinfo, a channel, the flake
   * registry, the cached narinfo's NAR) is a 404 that says the remote is blocked, and no stand-in hears from Nexus.
   */
  @Test
  void afterARestartABlockedProxyServesItsCacheAndSendsNothingAnywhere() {
    try (Upstreams upstreams = new Upstreams()) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String name = Names.unique("offline-restart");
        names.add(name);
        String proxy = upstreams.proxy(name, false, false);
        assertThat(http.get(proxy + "/" + Ask.NARINFO.path(false)).status()).isEqualTo(200);
        assertThat(http.get(proxy + "/" + Ask.CHANNEL.path(false)).status()).isEqualTo(302);
        nexus.rest().put("/service/rest/v1/repositories/nix/proxy/" + name, upstreams.request(name, true, false))
            .expect(204);
      }
      String group = nexus.rest().createNixGroup(Names.unique("offline-restart-group"), List.of(names.get(0)), null);
      String nar = narUrl(nexus.repositoryUrl(names.get(0)) + "/" + Ask.NARINFO.path(false));
      Map<Ask, Integer> before = upstreams.requests();

      nexus.stop();
      nexus.start();

      for (int i = 0; i < 3; i++) {
        String proxy = nexus.repositoryUrl(names.get(i));
        List<Ask> order = rotated(i);
        for (Ask ask : order) {
          assertOffline(http.get(proxy + "/" + ask.path(true)), names.get(i) + " " + order + ", " + ask);
        }
        assertThat(http.get(proxy + "/" + Ask.NARINFO.path(false)).status()).isEqualTo(200);
        assertThat(http.get(proxy + "/" + Ask.CHANNEL.path(false)).status()).isEqualTo(302);
        assertOffline(http.get(proxy + "/" + nar), names.get(i) + ", its root's NAR, never fetched");
      }
      RawHttp.Response throughGroup = http.get(group + "/" + Ask.NARINFO.path(true));
      assertThat(throughGroup.status()).as(throughGroup.toString()).isEqualTo(404);
      assertThat(throughGroup.header("Content-Type")).startsWith("text/plain");
      RawHttp.Response registry = http.get(group + "/flake-registry.json");
      assertThat(registry.status()).as("a member without a registry is left out: " + registry).isEqualTo(200);
      assertThat(upstreams.requests()).as("requests since the proxies were blocked").isEqualTo(before);
    }
  }

  // ---- helpers

  private static void assertOffline(final RawHttp.Response answer, final String what) {
    assertThat(answer.status()).as(what + ": " + answer).isEqualTo(404);
    assertThat(answer.header("Content-Type")).as(what).startsWith("text/plain");
    assertThat(answer.bodyText()).as(what).contains("blocked by configuration (offline mode)");
  }

  /** The NAR URL (in the proxy) of the narinfo at {@code narInfoUrl}. */
  private static String narUrl(final String narInfoUrl) {
    return http.get(narInfoUrl).bodyText().lines().filter(line -> line.startsWith("URL: ")).findFirst().orElseThrow()
        .substring("URL: ".length());
  }

  private static List<List<Ask>> everyOrder() {
    List<List<Ask>> orders = new ArrayList<>();
    for (Ask first : Ask.values()) {
      for (Ask second : Ask.values()) {
        for (Ask third : Ask.values()) {
          if (first != second && second != third && first != third) {
            orders.add(List.of(first, second, third));
          }
        }
      }
    }
    return orders;
  }

  private static List<Ask> rotated(final int by) {
    List<Ask> order = new ArrayList<>();
    for (int i = 0; i < Ask.values().length; i++) {
      order.add(Ask.values()[(i + by) % Ask.values().length]);
    }
    return order;
  }

  private static String hashPart(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  /** The three stand-ins, each on its own port, counting every request. */
  private static final class Upstreams
      implements AutoCloseable
  {
    private final StaticCacheServer cache = StaticCacheServer.serve(cacheDir);

    private final ChannelsUpstream channels = ChannelsUpstream.start();

    private final RegistryUpstream registry = RegistryUpstream.start();

    Upstreams() {
      for (String channel : List.of("nixos-99.99", "nixos-98.98")) {
        String release = channel + ".1.abcdef0";
        channels.publish(channel, "nixos/" + channel.substring("nixos-".length()), release,
            ChannelTarball.withHello(release, "offline"));
      }
    }

    /** Creates a proxy of the three; returns its URL. */
    String proxy(final String name, final boolean blocked, final boolean autoBlock) {
      nexus.rest().post("/service/rest/v1/repositories/nix/proxy", request(name, blocked, autoBlock)).expect(201);
      return nexus.repositoryUrl(name);
    }

    Map<String, Object> request(final String name, final boolean blocked, final boolean autoBlock) {
      Map<String, Object> body = NexusRest.nixProxyRequest(name, cache.url(),
          Map.of("channelsUrl", channels.url(), "flakeRegistryUrl", registry.url()));
      body.put("httpClient", Map.of("blocked", blocked, "autoBlock", autoBlock,
          "connection", Map.of("timeout", 5, "retries", 0)));
      return body;
    }

    void fail(final Ask ask) {
      switch (ask) {
        case NARINFO:
          cache.faults(request -> Fault.status(502));
          break;
        case CHANNEL:
          channels.failAll(502);
          break;
        default:
          registry.failAll(502);
      }
    }

    /** Where the proxy sends a request for {@code ask}. */
    String url(final Ask ask) {
      switch (ask) {
        case NARINFO:
          return cache.url() + "/" + ask.path(false);
        case CHANNEL:
          return channels.url() + "/" + ask.path(false).substring("channels/".length());
        default:
          return registry.url();
      }
    }

    /** Requests each stand-in has received so far. */
    Map<Ask, Integer> requests() {
      Map<Ask, Integer> requests = new LinkedHashMap<>();
      requests.put(Ask.NARINFO, cache.total());
      requests.put(Ask.CHANNEL, channels.total());
      requests.put(Ask.REGISTRY, registry.requests());
      return requests;
    }

    @Override
    public void close() {
      cache.close();
      channels.close();
      registry.close();
    }
  }
}
