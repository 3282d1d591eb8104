package org.sonatype.nexus.repository.nix.it.clients;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.ClientPaths;
import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator.Fresh;
import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NarInfos;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.NixFlakes;
import org.sonatype.nexus.repository.nix.it.support.NixInstallation;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The client matrix: each real Nix client of {@link NixInstallation#all()} (Nix 2.8, the machine's; Nix 2.26 and 2.34
 * in Debian folders) pushes to and reads from the plugin everything a Nix user does. Each client builds its own
 * small store paths ({@link ClientPaths}), in its own store.
 */
class ClientCompatibilityIT
{
  /**
   * The NAR compressions Nix writes by itself (libarchive and brotli); {@code lzop}, {@code grzip} and
   * {@code lrzip} need external programs that are not part of Nix.
   */
  static final List<String> NAR_COMPRESSIONS =
      List.of("none", "xz", "bzip2", "zstd", "br", "gzip", "lz4", "lzip", "lzma", "compress");

  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp http;

  private static String password;

  private static final Map<NixInstallation, Pushed> PUSHED = new ConcurrentHashMap<>();

  private static final List<StaticCacheServer> UPSTREAMS = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    password = nexus.adminPassword();
    http = RawHttp.basic("admin", password);
  }

  @AfterAll
  static void stopUpstreams() {
    UPSTREAMS.forEach(StaticCacheServer::close);
  }

  static Stream<NixInstallation> clients() {
    return NixInstallation.all().stream();
  }

  /**
   * Since Nix 2.32, {@code narinfo-compression}, {@code ls-compression} and {@code log-compression} upload those files
   * compressed, naming the compression in {@code Content-Encoding}: every compression the client can write (and
   * {@code none}, sent as {@code Content-Encoding: none}), for each client that has the parameters.
   */
  static Stream<Arguments> clientsWithMetadataCompression() {
    return clients()
        .filter(nix -> nix.atLeast(2, 32))
        .flatMap(nix -> NAR_COMPRESSIONS.stream().map(compression -> arguments(nix, compression)));
  }

  private static NixClient client(final NixInstallation installation, final String name) {
    return NixClient.builder()
        .installation(installation)
        .name(name)
        .netrc("127.0.0.1", "admin", password)
        .configLine("extra-experimental-features = ca-derivations")
        .build();
  }

  // ---- push and substitute

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void pushesAndSubstitutesWithEveryNarCompression(final NixInstallation installation) {
    String url = rest.createNixHosted(Names.unique("compat-nar"));
    NixClient pusher = client(installation, "nar-pusher");
    ClientPaths paths = ClientPaths.builtBy(pusher);
    List<String> all = new ArrayList<>();
    List<Fresh> pushed = new ArrayList<>();
    for (String compression : NAR_COMPRESSIONS) {
      Fresh fresh = paths.fresh(Names.unique("nar-" + compression));
      pusher.copyTo(url + "?compression=" + compression, fresh.paths());
      NarInfo served = NarInfos.get(http, url, fresh.root());
      assertThat(served.compression().nixName()).as(compression).isEqualTo(compression);
      all.addAll(fresh.paths());
      pushed.add(fresh);
    }

    Path store = ItDirs.newTempDir("store");
    client(installation, "nar-substituter").realiseInto(store, url, all, false);

    for (Fresh fresh : pushed) {
      String tag = fresh.root().substring(fresh.root().indexOf('-') + 1);
      assertThat(NixClient.inStore(store, fresh.root()).resolve("bin").resolve(tag)).isExecutable();
      assertThat(NixClient.inStore(store, fresh.root()).resolve("share/data")).content().startsWith("line 0 of ");
      assertThat(NixClient.inStore(store, fresh.dependency())).content().endsWith(" dependency\n");
    }
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("clientsWithMetadataCompression")
  void pushesNarInfosListingsAndLogsInEveryContentEncodingAndReadsThemBack(final NixInstallation installation,
                                                                          final String compression)
  {
    String url = rest.createNixHosted(Names.unique("compat-meta"));
    NixClient pusher = client(installation, "meta-pusher");
    ClientPaths paths = ClientPaths.builtBy(pusher);
    Fresh fresh = paths.fresh(Names.unique("meta-" + compression));
    String target = url + "?compression=zstd&write-nar-listing=true&narinfo-compression=" + compression
        + "&ls-compression=" + compression + "&log-compression=" + compression;

    pusher.copyTo(target, fresh.paths());
    pusher.run("nix", "store", "copy-log", "--to", target, fresh.root()).assertSuccess();

    // stored decoded: served as plain documents
    RawHttp.Response narInfo = http.get(NarInfos.url(url, fresh.root()));
    assertThat(narInfo.status()).as(narInfo.toString()).isEqualTo(200);
    assertThat(narInfo.header("Content-Encoding")).isNull();
    assertThat(narInfo.bodyText()).startsWith("StorePath: " + fresh.root() + "\n");
    RawHttp.Response listing = http.get(url + "/" + NarInfos.hashPart(fresh.root()) + ".ls");
    assertThat(listing.status()).as(listing.toString()).isEqualTo(200);
    JsonNode root = Json.parse(listing.bodyText()).get("root");
    assertThat(root.get("type").asText()).isEqualTo("directory");
    assertThat(root.get("entries").get("share").get("entries").get("data").get("size").asLong()).isPositive();
    String drv = paths.deriver(fresh.root());
    RawHttp.Response log = http.get(url + "/log/" + drv.substring("/nix/store/".length()));
    assertThat(log.status()).as(log.toString()).isEqualTo(200);
    assertThat(log.header("Content-Encoding")).isNull();

    // and read back by the client that pushed them
    NixClient reader = client(installation, "meta-reader");
    Path store = ItDirs.newTempDir("store");
    reader.realiseInto(store, url, List.of(fresh.root()), false);
    assertThat(NixClient.inStore(store, fresh.root()).resolve("share/data")).exists();
    assertThat(reader.run("nix", "log", "--store", url, fresh.root()).assertSuccess().stdout())
        .contains("building " + fresh.root().substring(fresh.root().indexOf('-') + 1))
        .contains("second line of ");
  }

  /**
   * Through a signing group, which reads each narinfo to take its own signatures out before passing it on to the
   * writable member, and through a group that passes the request on as it is.
   */
  @ParameterizedTest(name = "{0}, group signs: {1}")
  @MethodSource("clientsWithMetadataCompressionThroughGroups")
  void pushesCompressedNarInfosThroughAGroup(final NixInstallation installation, final boolean groupSigns) {
    String member = Names.unique("compat-member");
    rest.createNixHosted(member);
    String group = rest.createNixGroup(Names.unique("compat-push-group"), List.of(member),
        groupSigns ? Map.of("writableMember", member, "signing", Map.of("generate", true))
            : Map.of("writableMember", member));
    NixClient pusher = client(installation, "group-pusher");
    Fresh fresh = ClientPaths.builtBy(pusher).fresh(Names.unique("grouped"));

    pusher.copyTo(group + "?compression=zstd&narinfo-compression=zstd&ls-compression=br&write-nar-listing=true",
        fresh.paths());

    RawHttp.Response stored = http.get(NarInfos.url(rest.repositoryUrl(member), fresh.root()));
    assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
    assertThat(stored.bodyText()).startsWith("StorePath: " + fresh.root() + "\n");
    Path store = ItDirs.newTempDir("store");
    client(installation, "group-reader").realiseInto(store, group, fresh.paths(), false);
    assertThat(NixClient.inStore(store, fresh.root()).resolve("share/data")).exists();
  }

  static Stream<Arguments> clientsWithMetadataCompressionThroughGroups() {
    return clients()
        .filter(nix -> nix.atLeast(2, 32))
        .flatMap(nix -> Stream.of(arguments(nix, true), arguments(nix, false)));
  }

  // ---- reading a binary cache with the nix command

  /**
   * One repository per client, pushed once: a signed hosted repository with a fresh closure, its NAR listings
   * ({@code write-nar-listing}) and the root's build log ({@code nix store copy-log}).
   */
  private record Pushed(NixInstallation installation, String url, String publicKey, Fresh fresh, String tag)
  {
  }

  private static Pushed pushed(final NixInstallation installation) {
    return PUSHED.computeIfAbsent(installation, nix -> {
      String url = rest.createNixHosted(Names.unique("compat-read"), Map.of("signing", Map.of("generate", true)),
          "allow_once");
      NixClient pusher = client(nix, "read-pusher");
      String tag = Names.unique("read");
      Fresh fresh = ClientPaths.builtBy(pusher).fresh(tag);
      pusher.copyTo(url + "?compression=zstd&write-nar-listing=true", fresh.paths());
      pusher.run("nix", "store", "copy-log", "--to", url, fresh.root()).assertSuccess();
      String publicKey = http.get(url + "/nix-public-key").bodyText().trim();
      return new Pushed(nix, url, publicKey, fresh, tag);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void nixStoreLsCatAndVerifyReadTheBinaryCache(final NixInstallation installation) {
    Pushed pushed = pushed(installation);
    NixClient reader = client(installation, "store-commands");
    String root = pushed.fresh().root();

    assertThat(reader.run("nix", "store", "ls", "--store", pushed.url(), "-R", root).assertSuccess().stdout())
        .contains("bin/" + pushed.tag()).contains("share/data");
    assertThat(reader.run("nix", "store", "cat", "--store", pushed.url(), root + "/share/data").assertSuccess()
        .stdout()).startsWith("line 0 of " + pushed.tag());
    reader.run("nix", "store", "verify", "--store", pushed.url(), "--option", "trusted-public-keys",
        pushed.publicKey(), root).assertSuccess();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void nixPathInfoReadsTheServedNarInfo(final NixInstallation installation) {
    Pushed pushed = pushed(installation);
    NixClient reader = client(installation, "path-info");

    JsonNode info = reader.pathInfo(pushed.url(), pushed.fresh().root());

    assertThat(info.get("narHash").asText()).isNotEmpty();
    assertThat(info.get("narSize").asLong()).isPositive();
    assertThat(info.get("references").toString()).contains(pushed.fresh().dependency().substring(11));
    assertThat(info.get("signatures").toString()).contains(pushed.publicKey().split(":")[0] + ":");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void nixLogPrintsTheLogCopyLogUploaded(final NixInstallation installation) {
    Pushed pushed = pushed(installation);

    NixClient.Result log = client(installation, "log-reader")
        .run("nix", "log", "--store", pushed.url(), pushed.fresh().root()).assertSuccess();

    assertThat(log.stdout()).contains("building " + pushed.tag()).contains("second line of " + pushed.tag());
  }

  // ---- content-addressed derivations

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aContentAddressedOutputIsSubstitutedThroughItsRealisationWithoutBuilding(final NixInstallation installation) {
    String url = rest.createNixHosted(Names.unique("compat-ca"));
    NixClient pusher = client(installation, "ca-pusher");
    ClientPaths paths = ClientPaths.builtBy(pusher);
    Path expression = paths.contentAddressedExpression(Names.unique("ca"));
    String output = paths.build(expression, null);
    pusher.run("nix", "copy", "--to", url, "-f", expression.toString()).assertSuccess();

    // --max-jobs 0: the output may only come from the cache, which has it under a realisation of the derivation
    Path store = ItDirs.newTempDir("store");
    NixClient.Result build = client(installation, "ca-builder").run("nix", "build", "--store", store.toString(),
        "-f", expression.toString(), "--no-link", "--max-jobs", "0",
        "--option", "substituters", url, "--option", "require-sigs", "false");

    assertThat(build.ok()).as(build.toString()).isTrue();
    assertThat(NixClient.inStore(store, output)).content().startsWith("content-addressed output of ");
  }

  // ---- flakes and channels

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aPrivateFlakeResolvesThroughTheRegistryAndLocksItsLatestUrlByTheLink(final NixInstallation installation) {
    String repo = rest.createNixHosted(Names.unique("compat-flakes"));
    String flake = Names.unique("tool");
    Path tarball = FlakeTarball.writing(flake, "1.2.0", "v120");
    Curl.Result published = Curl.run("-u", "admin:" + password, "-T", tarball.toString(),
        repo + "/flakes/" + flake + "/1.2.0.tar.gz");
    assertThat(published.status()).as(published.toString()).isEqualTo(201);
    NixClient nix = client(installation, "flakes");
    String narHash = NixFlakes.hashPath(nix, FlakeTarball.sourceDirectory(tarball));
    String registry = repo + "/flake-registry.json";

    JsonNode viaRegistry = NixFlakes.metadata(nix, registry, flake);
    assertThat(viaRegistry.get("locked").get("url").asText()).startsWith(repo + "/flakes/" + flake + "/1.2.0.tar.gz?");
    assertThat(viaRegistry.get("locked").get("narHash").asText()).isEqualTo(narHash);
    assertThat(NixFlakes.build(client(installation, "flakes-build"), registry, flake + "#default")).isEqualTo("v120");

    // the latest URL: Nix 2.17 and later follow its Link: rel="immutable" and lock the version's URL (its narHash
    // and lastModified go to the lock's own fields); earlier clients lock the URL they were given
    JsonNode latest = NixFlakes.metadata(client(installation, "flakes-latest"), null,
        repo + "/flakes/" + flake + ".tar.gz");
    String locked = latest.get("locked").get("url").asText();
    if (installation.atLeast(2, 17)) {
      assertThat(locked).isEqualTo(repo + "/flakes/" + flake + "/1.2.0.tar.gz");
      assertThat(latest.get("locked").get("lastModified").asLong()).isPositive();
    }
    else {
      assertThat(locked).isEqualTo(repo + "/flakes/" + flake + ".tar.gz");
    }
    assertThat(latest.get("locked").get("narHash").asText()).isEqualTo(narHash);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void nixChannelSubscribesToAHostedChannel(final NixInstallation installation) {
    String repo = rest.createNixHosted(Names.unique("compat-channels"));
    String channel = Names.unique("chan");
    Curl.Result deployed = Curl.run("-u", "admin:" + password, "-T", ChannelTarball.withHello("d", "42").toString(),
        repo + "/channels/" + channel + "/nixpkgs/" + channel + "-1");
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
    NixClient subscriber = NixClient.builder().installation(installation).name("channel")
        .netrc("127.0.0.1", "admin", password)
        .option("tarball-ttl", "0")
        .ownChannelsProfile()
        .build();

    subscriber.run("nix-channel", "--add", repo + "/channels/" + channel, channel).assertSuccess();
    subscriber.run("nix-channel", "--update").assertSuccess();

    assertThat(subscriber.run("nix-instantiate", "--eval", "-E", "with import <" + channel + "> {}; hello",
        "-I", channel + "=" + subscriber.channelPath(channel)).assertSuccess().stdout().trim()).isEqualTo("\"42\"");
  }

  // ---- signing, proxies and groups

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aProxyOfASignedCacheAndASignedGroupServePathsTheClientTrustsByOneKeyEach(final NixInstallation installation) {
    NixClient pusher = client(installation, "signed-pusher");
    ClientPaths paths = ClientPaths.builtBy(pusher);
    Fresh upstreamPaths = paths.fresh(Names.unique("upstream"));
    Fresh hostedPaths = paths.fresh(Names.unique("hosted"));
    NixClient.SigningKey upstreamKey = pusher.generateSigningKey(Names.unique("upstream-key") + "-1");
    Path cache = ItDirs.newTempDir("signed-upstream");
    pusher.copyTo("file://" + cache + "?compression=zstd&secret-key=" + upstreamKey.secretKeyFile(),
        upstreamPaths.paths());
    StaticCacheServer upstream = StaticCacheServer.serve(cache);
    UPSTREAMS.add(upstream);

    String proxy = Names.unique("compat-proxy");
    // a proxy checks its upstream's signatures and passes them on; the group adds its own
    String proxyUrl = rest.createNixProxy(proxy, upstream.url(),
        Map.of("trustedUpstreamKeys", List.of(upstreamKey.publicKey())));
    String hosted = Names.unique("compat-hosted");
    String hostedUrl = rest.createNixHosted(hosted, Map.of("signing", Map.of("generate", true)), "allow_once");
    pusher.copyTo(hostedUrl + "?compression=zstd", hostedPaths.paths());
    String groupUrl = rest.createNixGroup(Names.unique("compat-group"), List.of(hosted, proxy),
        Map.of("signing", Map.of("generate", true)));
    String groupKey = http.get(groupUrl + "/nix-public-key").bodyText().trim();

    NixClient substituter = client(installation, "signed-substituter");
    Path viaProxy = ItDirs.newTempDir("store");
    substituter.run(NixClient.realiseArgsTrusting(viaProxy, proxyUrl, upstreamPaths.paths(), upstreamKey.publicKey()),
        NixClient.DEFAULT_TIMEOUT).assertSuccess();
    Path viaGroup = ItDirs.newTempDir("store");
    List<String> both = new ArrayList<>(hostedPaths.paths());
    both.addAll(upstreamPaths.paths());
    substituter.run(NixClient.realiseArgsTrusting(viaGroup, groupUrl, both, groupKey),
        NixClient.DEFAULT_TIMEOUT).assertSuccess();

    assertThat(NixClient.inStore(viaProxy, upstreamPaths.root()).resolve("share/data")).exists();
    for (String path : both) {
      assertThat(NixClient.inStore(viaGroup, path)).exists();
    }
    // trusting a key that signed nothing here, the same substitution is refused
    NixClient.Result untrusted = substituter.run(NixClient.realiseArgsTrusting(ItDirs.newTempDir("store"), groupUrl,
        List.of(hostedPaths.dependency()), "someone-else-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8="),
        NixClient.DEFAULT_TIMEOUT);
    assertThat(untrusted.ok()).as(untrusted.toString()).isFalse();
  }

  // ---- credentials

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aWrongPasswordIsAHardErrorNotAMiss(final NixInstallation installation) {
    Pushed pushed = pushed(installation);
    NixClient wrong = NixClient.builder().installation(installation).name("wrong-password")
        .netrc("127.0.0.1", "admin", password + "-wrong")
        .build();
    RawHttp wrongHttp = RawHttp.basic("admin", password + "-wrong");

    NixClient.Result substitute = wrong.run(NixClient.realiseArgs(ItDirs.newTempDir("store"), pushed.url(),
        List.of(pushed.fresh().root()), false), NixClient.DEFAULT_TIMEOUT);
    NixClient.Result push = wrong.run("nix", "copy", "--to", pushed.url(), pushed.fresh().dependency());

    // what the repository answers: 401 for everything, never the 404 of a path that is not there
    assertThat(wrongHttp.get(pushed.url() + "/nix-cache-info").status()).isEqualTo(401);
    assertThat(wrongHttp.get(NarInfos.url(pushed.url(), pushed.fresh().root())).status()).isEqualTo(401);
    assertThat(wrongHttp.get(NarInfos.url(pushed.url(), "/nix/store/" + "0".repeat(32) + "-absent")).status())
        .isEqualTo(401);
    // and what the clients make of it: the command fails; Nix 2.8 drops the cache ("does not appear to be a binary
    // cache"), later clients name the 401
    String says = installation.atLeast(2, 26) ? "401" : "does not appear to be a binary cache";
    assertThat(substitute.ok()).as(substitute.toString()).isFalse();
    assertThat(substitute.stderr()).as(substitute.toString()).contains(says);
    assertThat(push.ok()).as(push.toString()).isFalse();
    assertThat(push.stderr()).as(push.toString()).contains(says);
  }
}
