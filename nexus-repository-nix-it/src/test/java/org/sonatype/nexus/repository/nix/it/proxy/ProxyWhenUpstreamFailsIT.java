package org.sonatype.nexus.repository.nix.it.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer.Fault;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code nix.whenUpstreamFails}: by default ({@code error}) an upstream failure is a 5xx, which makes Nix 2.8 abort a
 * build; {@code notFound} makes it a 404 (that says what happened), so Nix builds the path itself. A group answers
 * 404 when the only members that failed are set to {@code notFound}, or when it is set so itself.
 */
class ProxyWhenUpstreamFailsIT
{
  private static NexusServer nexus;

  private static RawHttp http;

  private static ClosureGenerator.Fresh fresh;

  private static Path cacheDir;

  /** An upstream that is gone: connections to it are refused. */
  private static String gone;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    http = RawHttp.basic("admin", nexus.adminPassword());
    fresh = ClosureGenerator.get().fresh(Names.unique("when-fails"));
    cacheDir = ItDirs.newTempDir("when-fails-cache");
    StaticCacheServer.writeCache(ClosureGenerator.get().nix(), cacheDir, "zstd", fresh.paths());
    StaticCacheServer closed = StaticCacheServer.serve(cacheDir);
    gone = closed.url();
    closed.close();
  }

  @Test
  void aProxySetToNotFoundAnswersAFailureWithA404ThatSaysWhatHappenedAndAsksAgainNextTime() {
    try (StaticCacheServer upstream = StaticCacheServer.serve(cacheDir)) {
      String name = Names.unique("when-fails-proxy");
      String proxy = createProxy(name, upstream.url(), "notFound");
      upstream.faults(request -> Fault.status(500));

      RawHttp.Response failed = http.get(proxy + "/" + narInfo(fresh.root()));
      upstream.faults(null);
      RawHttp.Response recovered = http.get(proxy + "/" + narInfo(fresh.root()));

      assertThat(failed.status()).as(failed.toString()).isEqualTo(404);
      assertThat(failed.bodyText())
          .contains("the upstream answered 500")
          .contains("answering 404, as nix.whenUpstreamFails is notFound");
      assertThat(recovered.status()).as("the failure was not remembered: " + recovered).isEqualTo(200);
      assertThat(nexus.rest().get("/service/rest/v1/repositories/nix/proxy/" + name).expect(200).json()
          .get("nix").get("whenUpstreamFails").asText()).isEqualTo("notFound");
    }
  }

  static Stream<Arguments> upstreamFailures() {
    return Stream.of(
        Arguments.of("an upstream error", (Consumer<StaticCacheServer>) upstream ->
            upstream.faults(request -> Fault.status(503)), "the upstream answered 503"),
        Arguments.of("an upstream that does not answer in time", (Consumer<StaticCacheServer>) upstream ->
            upstream.faults(request -> Fault.hang()), "did not answer in time"),
        Arguments.of("a corrupt narinfo", (Consumer<StaticCacheServer>) upstream ->
            upstream.faults(request -> request.path().endsWith(".narinfo")
                ? Fault.redirect("/nix-cache-info")
                : Fault.NONE), "is corrupt"),
        Arguments.of("an upstream that is gone", (Consumer<StaticCacheServer>) StaticCacheServer::close,
            "Connection refused"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstreamFailures")
  void withNotFoundEveryUpstreamFailureIsA404ThatSaysWhatHappened(final String failure,
                                                                  final Consumer<StaticCacheServer> fail,
                                                                  final String what)
  {
    try (StaticCacheServer upstream = StaticCacheServer.serve(cacheDir)) {
      String proxy = createProxy(Names.unique("when-fails-each"), upstream.url(), "notFound");
      fail.accept(upstream);

      RawHttp.Response answer = http.get(proxy + "/" + narInfo(fresh.root()));

      assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
      assertThat(answer.bodyText()).contains(what).contains("answering 404, as nix.whenUpstreamFails is notFound");
    }
  }

  @Test
  void anAutoBlockedProxySetToNotFoundAnswers404WithoutAskingTheUpstream() {
    try (StaticCacheServer upstream = StaticCacheServer.serve(cacheDir)) {
      String name = Names.unique("when-fails-blocked");
      Map<String, Object> body = NexusRest.nixProxyRequest(name, upstream.url(), Map.of("whenUpstreamFails", "notFound"));
      body.put("httpClient", Map.of("blocked", false, "autoBlock", true, "connection", Map.of("retries", 0)));
      nexus.rest().post("/service/rest/v1/repositories/nix/proxy", body).expect(201);
      upstream.faults(request -> Fault.status(500));
      http.get(nexus.repositoryUrl(name) + "/" + narInfo(fresh.root()));
      int asked = upstream.total();

      RawHttp.Response answer = http.get(nexus.repositoryUrl(name) + "/" + narInfo(fresh.dependency()));

      assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
      assertThat(answer.bodyText()).contains("this proxy's remote is auto-blocked until")
          .contains("answering 404, as nix.whenUpstreamFails is notFound");
      assertThat(upstream.total()).isEqualTo(asked);
    }
  }

  @Test
  void aGroupAnswers404WhenTheOnlyMembersThatFailedAreSetToNotFound() {
    String hosted = Names.unique("when-fails-hosted");
    nexus.rest().createNixHosted(hosted);
    String notFound = Names.unique("when-fails-notfound");
    createProxy(notFound, gone, "notFound");
    String error = Names.unique("when-fails-error");
    createProxy(error, gone, null);

    RawHttp.Response onlyNotFoundFailed =
        http.get(createGroup(List.of(hosted, notFound), null) + "/" + narInfo(fresh.root()));
    RawHttp.Response bothFailed =
        http.get(createGroup(List.of(notFound, error), null) + "/" + narInfo(fresh.root()));

    assertThat(onlyNotFoundFailed.status()).as(onlyNotFoundFailed.toString()).isEqualTo(404);
    assertThat(onlyNotFoundFailed.bodyText()).contains("member '" + notFound + "' failed")
        .contains("Connection refused")
        .contains("answers 404 for that, as its nix.whenUpstreamFails is notFound");
    assertThat(bothFailed.status()).as(bothFailed.toString()).isEqualTo(502);
    assertThat(bothFailed.bodyText()).contains("member '" + error + "' failed (502");
  }

  @Test
  void aGroupSetToNotFoundAnswers404ForTheFailuresOfItsMembers() {
    String error = Names.unique("when-fails-error");
    createProxy(error, gone, null);
    String name = Names.unique("when-fails-group");

    RawHttp.Response answer =
        http.get(createGroup(name, List.of(error), "notFound") + "/" + narInfo(fresh.root()));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
    assertThat(answer.bodyText()).contains("member '" + error + "' failed (502")
        .contains("answering 404, as nix.whenUpstreamFails is notFound");
    assertThat(nexus.rest().get("/service/rest/v1/repositories/nix/group/" + name).expect(200).json()
        .get("nix").get("whenUpstreamFails").asText()).isEqualTo("notFound");
  }

  @Test
  void byDefaultNix28AbortsTheBuildOfANewDerivationWhenTheUpstreamIsDown() {
    String group = groupOverHostedAndProxyOfGoneUpstream(null);

    NixClient.Result build = buildNewDerivation("when-fails-default", group);

    assertThat(build.ok()).as(build.toString()).isFalse();
    assertThat(build.stderr()).contains("502");
  }

  @Test
  void withNotFoundNix28BuildsANewDerivationLocallyThroughTheGroupWhenTheUpstreamIsDown() throws Exception {
    String group = groupOverHostedAndProxyOfGoneUpstream("notFound");

    NixClient.Result build = buildNewDerivation("when-fails-notfound", group);

    assertThat(build.ok()).as(build.toString()).isTrue();
    String output = build.stdoutLines().get(build.stdoutLines().size() - 1);
    assertThat(Files.readString(Path.of(output))).isEqualTo("built locally\n");
  }

  // ---- helpers

  /** As {@code ./src/run.sh} sets it up: a group of a hosted repository and a proxy, whose upstream is gone. */
  private static String groupOverHostedAndProxyOfGoneUpstream(final String proxyWhenUpstreamFails) {
    String hosted = Names.unique("when-fails-hosted");
    nexus.rest().createNixHosted(hosted);
    String proxy = Names.unique("when-fails-proxy");
    createProxy(proxy, gone, proxyWhenUpstreamFails);
    return createGroup(List.of(hosted, proxy), null);
  }

  /** {@code nix-build} of a derivation no cache has, with the group as the only substituter. */
  private static NixClient.Result buildNewDerivation(final String prefix, final String group) {
    String name = Names.unique(prefix);
    Path expression = ItDirs.newTempDir(prefix).resolve("new.nix");
    try {
      Files.writeString(expression, String.join("\n",
          "derivation {",
          "  name = \"" + name + "\";",
          "  system = builtins.currentSystem;",
          "  builder = \"/bin/sh\";",
          "  args = [ \"-c\" \"echo built locally > $out\" ];",
          "  PATH = \"/usr/bin:/bin\";",
          "}", ""));
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NixClient nix = NixClient.builder().name(prefix).netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
    return nix.run(List.of("nix-build", expression.toString(), "--no-out-link",
        "--option", "substituters", group, "--option", "require-sigs", "false"), NixClient.DEFAULT_TIMEOUT);
  }

  /** A proxy without auto-blocking, no retries and a short timeout (a hanging upstream costs seconds). */
  private static String createProxy(final String name, final String remoteUrl, final String whenUpstreamFails) {
    Map<String, Object> body = NexusRest.nixProxyRequest(name, remoteUrl,
        whenUpstreamFails == null ? Map.of() : Map.of("whenUpstreamFails", whenUpstreamFails));
    body.put("httpClient", Map.of("blocked", false, "autoBlock", false,
        "connection", Map.of("retries", 0, "timeout", 3)));
    nexus.rest().post("/service/rest/v1/repositories/nix/proxy", body).expect(201);
    return nexus.repositoryUrl(name);
  }

  private static String createGroup(final List<String> members, final String whenUpstreamFails) {
    return createGroup(Names.unique("when-fails-group"), members, whenUpstreamFails);
  }

  private static String createGroup(final String name, final List<String> members, final String whenUpstreamFails) {
    return nexus.rest().createNixGroup(name, members,
        whenUpstreamFails == null ? Map.of() : Map.of("whenUpstreamFails", whenUpstreamFails));
  }

  private static String narInfo(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32) + ".narinfo";
  }
}
