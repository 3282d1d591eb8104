package org.sonatype.nexus.repository.nix.it.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.NarInfos;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A proxy that trusts one upstream key, in front of a static cache written by the real Nix 2.8 client: it serves
 * what that key signed and content-addressed paths, and refuses (404, reason in the body and the log, nothing
 * cached) what an unknown key signed and what was changed after signing.
 */
class UpstreamSignatureIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp http;

  private static StaticCacheServer upstream;

  private static NixClient.SigningKey trusted;

  private static NixClient.SigningKey unknown;

  /** Signed by {@link #trusted}. */
  private static ClosureGenerator.Fresh signed;

  /** Signed by {@link #unknown}. */
  private static ClosureGenerator.Fresh signedByUnknownKey;

  /** Signed by {@link #trusted}; the root's narinfo was changed afterwards. */
  private static ClosureGenerator.Fresh altered;

  /** {@code nix-store --add}ed, not signed. */
  private static String contentAddressed;

  /** Trusts {@link #trusted}, signature required (the default when keys are set). */
  private static String proxyUrl;

  @BeforeAll
  static void setUp() throws Exception {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    http = RawHttp.basic("admin", nexus.adminPassword());
    ClosureGenerator closure = ClosureGenerator.get();
    NixClient nix = NixClient.builder().name("upstream-writer").build();
    trusted = nix.generateSigningKey(Names.unique("upstream"));
    unknown = nix.generateSigningKey(Names.unique("unknown"));
    signed = closure.fresh(Names.unique("upstream-signed"));
    signedByUnknownKey = closure.fresh(Names.unique("upstream-unknown"));
    altered = closure.fresh(Names.unique("upstream-altered"));
    Path file = ItDirs.newTempDir("ca").resolve("upstream-ca.txt");
    Files.writeString(file, Names.unique("content-addressed") + "\n");
    contentAddressed = nix.run("nix-store", "--add", file.toString()).assertSuccess().stdoutLines().get(0);

    Path dir = ItDirs.newTempDir("signed-upstream");
    String cache = "file://" + dir + "?compression=none";
    nix.copyTo(cache + "&secret-key=" + trusted.secretKeyFile(), List.of(signed.root(), altered.root()));
    nix.copyTo(cache + "&secret-key=" + unknown.secretKeyFile(), List.of(signedByUnknownKey.root()));
    nix.copyTo(cache, List.of(contentAddressed));
    changeNarSize(dir.resolve(NarInfos.hashPart(altered.root()) + ".narinfo"));
    upstream = StaticCacheServer.serve(dir);

    proxyUrl = rest.createNixProxy(Names.unique("trusting-proxy"), upstream.url(),
        Map.of("trustedUpstreamKeys", List.of(trusted.publicKey())));
  }

  @AfterAll
  static void tearDown() {
    if (upstream != null) {
      upstream.close();
    }
  }

  /** One more byte than the NAR has: still a well-formed narinfo, no longer the one that was signed. */
  private static void changeNarSize(final Path narInfo) throws Exception {
    String text = Files.readString(narInfo);
    Matcher size = Pattern.compile("NarSize: (\\d+)\n").matcher(text);
    assertThat(size.find()).isTrue();
    Files.writeString(narInfo, size.replaceFirst("NarSize: " + (Long.parseLong(size.group(1)) + 1) + "\n"));
  }

  private static NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }

  private static NixClient.Result substitute(final String path, final String trustedKey) {
    Path store = ItDirs.newTempDir("store");
    return client("substituter").run(NixClient.realiseArgsTrusting(store, proxyUrl, List.of(path), trustedKey),
        NixClient.DEFAULT_TIMEOUT);
  }

  private static String nexusLog() throws Exception {
    return Files.readString(nexus.logFile());
  }

  @Test
  void aPathSignedByATrustedKeySubstitutesThroughTheProxyWithRequireSigs() {
    NixClient.Result result = substitute(signed.root(), trusted.publicKey());

    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(NarInfos.validSignatures(NarInfos.get(http, proxyUrl, signed.root()), trusted.publicKey())).hasSize(1);
  }

  @Test
  void aPathSignedByAnUnknownKeyIsRefusedWith404TheReasonInBodyAndLogAndNotCached() throws Exception {
    String narInfo = "/" + NarInfos.hashPart(signedByUnknownKey.root()) + ".narinfo";
    int asked = upstream.count(narInfo);

    RawHttp.Response first = http.get(NarInfos.url(proxyUrl, signedByUnknownKey.root()));
    RawHttp.Response second = http.get(NarInfos.url(proxyUrl, signedByUnknownKey.root()));

    assertThat(first.status()).isEqualTo(404);
    assertThat(first.bodyText())
        .contains("signed only by keys this proxy does not trust (" + unknown.name() + ")")
        .contains(trusted.name());
    assertThat(second.status()).isEqualTo(404);
    // refused, not cached: every request asks the upstream again
    assertThat(upstream.count(narInfo) - asked).isEqualTo(2);
    assertThat(nexusLog()).contains(narInfo + " in ").contains("does not trust (" + unknown.name() + ")");
  }

  @Test
  void aNarinfoChangedAfterSigningIsRefused() {
    RawHttp.Response response = http.get(NarInfos.url(proxyUrl, altered.root()));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.bodyText()).contains("carries a signature by " + trusted.name() + " that does not verify");
  }

  @Test
  void nixCannotSubstituteARefusedPathEvenWithoutRequireSigs() {
    Path store = ItDirs.newTempDir("store");
    NixClient.Result result = client("lenient").run(
        NixClient.realiseArgs(store, proxyUrl, List.of(altered.root()), false), NixClient.DEFAULT_TIMEOUT);

    assertThat(result.ok()).as(result.toString()).isFalse();
    assertThat(NixClient.inStore(store, altered.root())).doesNotExist();
  }

  @Test
  void anUnsignedContentAddressedPathPassesAsInNix() {
    NixClient.Result result = substitute(contentAddressed, trusted.publicKey());

    assertThat(http.get(NarInfos.url(proxyUrl, contentAddressed)).status()).isEqualTo(200);
    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @Test
  void aNewProxyTrustsCacheNixosOrgAndRequiresASignatureByDefault() {
    String name = Names.unique("default-proxy");
    Map<String, Object> body = NexusRest.nixProxyRequest(name, upstream.url(), Map.of());
    body.put("nix", Map.of()); // no trustedUpstreamKeys field at all
    rest.post("/service/rest/v1/repositories/nix/proxy", body).expect(201);

    JsonNode nix = rest.get("/service/rest/v1/repositories/nix/proxy/" + name).expect(200).json().get("nix");

    assertThat(nix.get("trustedUpstreamKeys").toString())
        .isEqualTo("[\"cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=\"]");
    assertThat(nix.get("requireUpstreamSignature").asBoolean()).isTrue();
  }

  @Test
  void aProxyThatRequiresNoSignatureServesWhatAnUnknownKeySigned() {
    String url = rest.createNixProxy(Names.unique("lenient-proxy"), upstream.url(),
        Map.of("trustedUpstreamKeys", List.of(trusted.publicKey()), "requireUpstreamSignature", false));

    assertThat(http.get(NarInfos.url(url, signedByUnknownKey.root())).status()).isEqualTo(200);
  }

  @Test
  void aCachedNarinfoIsCheckedAgainWhenTheTrustedKeysChange() {
    String name = Names.unique("rekeyed-proxy");
    String url = rest.createNixProxy(name, upstream.url(), Map.of("trustedUpstreamKeys", List.of(trusted.publicKey())));
    assertThat(http.get(NarInfos.url(url, signed.dependency())).status()).isEqualTo(200);

    rest.put("/service/rest/v1/repositories/nix/proxy/" + name, NexusRest.nixProxyRequest(name, upstream.url(),
        Map.of("trustedUpstreamKeys", List.of(unknown.publicKey())))).expect(204);

    RawHttp.Response response = http.get(NarInfos.url(url, signed.dependency()));
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.bodyText()).contains("does not trust (" + trusted.name() + ")");
  }

  @Test
  void requiringASignatureWithoutKeysIsA400() {
    NexusRest.Response response = rest.post("/service/rest/v1/repositories/nix/proxy", NexusRest.nixProxyRequest(
        Names.unique("keyless-proxy"), upstream.url(),
        Map.of("trustedUpstreamKeys", List.of(), "requireUpstreamSignature", true)));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("nix.trustedUpstreamKeys");
  }
}
