package org.sonatype.nexus.repository.nix.it.usage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * "Set Me Up" without the UI: what the usage REST API and the page at a repository's URL tell a user, and that the
 * page changes nothing for Nix. A hosted repository, a proxy and a group of both that takes pushes into the hosted
 * one, each signing what it serves: clients push to the hosted repository and substitute from the group
 * (NixOS/nix#16175), trusting the keys the usage names.
 */
class UsageIT
{
  private static final String CACHE_NIXOS_ORG_KEY = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";

  private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp admin;

  private static String hosted;

  private static String proxy;

  private static String group;

  private static StaticCacheServer unsignedUpstream;

  @BeforeAll
  static void repositories() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    admin = RawHttp.basic("admin", nexus.adminPassword());
    hosted = Names.unique("usage-hosted");
    rest.createNixHosted(hosted, Map.of("signing", Map.of("generate", true)), "allow_once");
    proxy = Names.unique("usage-proxy");
    // a member whose upstream narinfos carry cache.nixos.org's signature, not required (nothing to warn about)
    rest.createNixProxy(proxy, "http://127.0.0.1:9/cache",
        Map.of("trustedUpstreamKeys", List.of(CACHE_NIXOS_ORG_KEY), "requireUpstreamSignature", false));
    group = Names.unique("usage-group");
    rest.createNixGroup(group, List.of(hosted, proxy),
        Map.of("writableMember", hosted, "signing", Map.of("generate", true)));
  }

  @AfterAll
  static void stopUpstream() {
    if (unsignedUpstream != null) {
      unsignedUpstream.close();
    }
  }

  @Test
  void theRepositoryUrlOpenedInABrowserShowsHowToPushThereAndSubstituteFromItsGroup() {
    RawHttp.Response page = admin.get(nexus.repositoryUrl(hosted) + "/", Map.of("Accept", HTML));

    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.bodyText())
        .contains("<pre>substituters = " + nexus.repositoryUrl(group) + "\n")
        .contains("trusted-public-keys = " + publicKey(group) + " " + publicKey(hosted) + " " + CACHE_NIXOS_ORG_KEY)
        .contains("netrc-file = /etc/nix/netrc\nfallback = true</pre>")
        .contains("nix copy --to " + nexus.repositoryUrl(hosted) + " /nix/store/&lt;hash&gt;-&lt;name&gt;")
        .contains("login admin password &lt;password&gt;")
        .contains("NixOS/nix#16175")
        .doesNotContain(nexus.adminPassword());
  }

  @Test
  void thePageObeysTheRepositorysReadPrivilege() {
    String reader = Names.unique("usage-reader");
    String role = Names.unique("usage-read");
    rest.createRole(role, "nx-repository-view-nix-" + hosted + "-browse", "nx-repository-view-nix-" + hosted + "-read");
    rest.createUser(reader, "reader-password", role);
    String stranger = Names.unique("usage-stranger");
    String otherRole = Names.unique("usage-other");
    rest.createRole(otherRole, "nx-search-read");
    rest.createUser(stranger, "stranger-password", otherRole);

    RawHttp.Response anonymous = RawHttp.anonymous().get(nexus.repositoryUrl(hosted) + "/", Map.of("Accept", HTML));
    RawHttp.Response refused = RawHttp.basic(stranger, "stranger-password")
        .get(nexus.repositoryUrl(hosted) + "/", Map.of("Accept", HTML));
    RawHttp.Response allowed = RawHttp.basic(reader, "reader-password")
        .get(nexus.repositoryUrl(hosted) + "/", Map.of("Accept", HTML));

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
    // the netrc line is the reader's; the group it may not read is neither used nor named
    assertThat(allowed.bodyText())
        .contains("login " + reader + " password &lt;password&gt;")
        .contains("substituters = " + nexus.repositoryUrl(hosted) + "\n")
        .contains("No Nix group that you may read contains " + hosted)
        .doesNotContain(group);
  }

  @Test
  void clientsThatDoNotAskForHtmlGetWhatTheyGotBeforeAndNixWorksAsTheUsageSays() {
    RawHttp.Response noAccept = admin.get(nexus.repositoryUrl(hosted) + "/");
    RawHttp.Response anything = admin.get(nexus.repositoryUrl(hosted) + "/", Map.of("Accept", "*/*"));
    RawHttp.Response cacheInfo = admin.get(nexus.repositoryUrl(group) + "/nix-cache-info", Map.of("Accept", HTML));

    assertThat(noAccept.status()).isEqualTo(404);
    assertThat(anything.status()).isEqualTo(404);
    assertThat(cacheInfo.status()).isEqualTo(200);
    assertThat(cacheInfo.bodyText()).startsWith("StoreDir: /nix/store");

    // the real Nix, configured with the keys and URLs the usage names, pushes and substitutes with require-sigs on
    JsonNode usage = rest.get("/service/rest/v1/nix/" + hosted + "/usage").expect(200).json();
    NixClient nix = NixClient.builder().name("usage")
        .netrc("127.0.0.1", "admin", nexus.adminPassword())
        .option("trusted-public-keys", String.join(" ", texts(usage.get("trustedPublicKeys"))))
        .build();
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("usage"));
    nix.copyTo(usage.get("pushUrl").asText(), fresh.paths());
    Path store = ItDirs.newTempDir("usage-store");
    nix.run(List.of("nix-store", "--store", store.toString(), "-r", fresh.root(),
        "--option", "substituters", usage.get("substituterUrl").asText(),
        "--option", "require-sigs", "true"), NixClient.DEFAULT_TIMEOUT).assertSuccess();

    assertThat(usage.get("pushUrl").asText()).isEqualTo(nexus.repositoryUrl(hosted));
    assertThat(usage.get("substituterUrl").asText()).isEqualTo(nexus.repositoryUrl(group));
    assertThat(NixClient.inStore(store, fresh.root())).exists();
  }

  /**
   * Why the usage never pushes and substitutes through one URL (NixOS/nix#16175), as Debian's Nix does it: the
   * pushing machine keeps the narinfo it uploaded, unsigned, and refuses the path from that URL although the
   * repository serves it signed; through the group it gets the signed narinfo.
   */
  @Test
  void aMachineRefusesWhatItPushedFromTheUrlItPushedToButNotFromTheGroup() {
    NixClient nix = NixClient.builder().name("usage-16175")
        .netrc("127.0.0.1", "admin", nexus.adminPassword())
        .option("trusted-public-keys", publicKey(group) + " " + publicKey(hosted))
        .build();
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("usage-16175"));
    nix.copyTo(nexus.repositoryUrl(hosted), fresh.paths());

    NixClient.Result sameUrl = nix.run(NixClient.realiseArgs(ItDirs.newTempDir("usage-same-url"),
        nexus.repositoryUrl(hosted), List.of(fresh.root()), true), NixClient.DEFAULT_TIMEOUT);
    NixClient.Result throughTheGroup = nix.run(NixClient.realiseArgs(ItDirs.newTempDir("usage-group-url"),
        nexus.repositoryUrl(group), List.of(fresh.root()), true), NixClient.DEFAULT_TIMEOUT);

    assertThat(sameUrl.ok()).as(sameUrl.toString()).isFalse();
    assertThat(sameUrl.stderr()).contains("is not signed by any of the keys");
    assertThat(throughTheGroup.ok()).as(throughTheGroup.toString()).isTrue();
    assertThat(NarInfos.get(RawHttp.basic("admin", nexus.adminPassword()), nexus.repositoryUrl(hosted), fresh.root())
        .sigs()).as("what the hosted repository serves").anyMatch(sig -> sig.startsWith(hosted + "-1:"));
  }

  @Test
  void aGroupIsSubstitutedFromItselfAndPushedToThroughItsWritableMember() {
    JsonNode usage = rest.get("/service/rest/v1/nix/" + group + "/usage").expect(200).json();

    assertThat(usage.get("type").asText()).isEqualTo("group");
    assertThat(usage.get("substituter").asText()).isEqualTo(group);
    assertThat(usage.get("pushTo").asText()).isEqualTo(hosted);
    assertThat(texts(usage.get("trustedPublicKeys")))
        .containsExactly(publicKey(group), publicKey(hosted), CACHE_NIXOS_ORG_KEY);
    assertThat(snippetIds(usage)).containsExactly("nixConf", "netrc", "push", "channel", "flakeRegistry");
    assertThat(texts(usage.get("warnings"))).isEmpty();
  }

  @Test
  void scriptsGetTheSnippetsTheyNameAsTextWithTheirNetrcFile() {
    RawHttp.Response text = admin.get(nexus.baseUrl() + "/service/rest/v1/nix/" + hosted
        + "/usage?snippet=nixConf&snippet=push&netrcFile=/home/ci/.config/nix/netrc", Map.of("Accept", "text/plain"));
    RawHttp.Response badNetrcFile = admin.get(nexus.baseUrl() + "/service/rest/v1/nix/" + hosted
        + "/usage?netrcFile=relative/netrc", Map.of("Accept", "application/json"));

    assertThat(text.status()).as(text.toString()).isEqualTo(200);
    assertThat(text.header("Content-Type")).startsWith("text/plain");
    assertThat(text.bodyText()).isEqualTo("# nix.conf\n"
        + "substituters = " + nexus.repositoryUrl(group) + "\n"
        + "trusted-public-keys = " + publicKey(group) + " " + publicKey(hosted) + " " + CACHE_NIXOS_ORG_KEY + "\n"
        + "netrc-file = /home/ci/.config/nix/netrc\n"
        + "fallback = true\n"
        + "\n"
        + "# Push (nix copy)\n"
        + "nix copy --to " + nexus.repositoryUrl(hosted) + " /nix/store/<hash>-<name>\n");
    assertThat(badNetrcFile.status()).isEqualTo(400);
    assertThat(badNetrcFile.bodyText()).contains("netrcFile").contains("absolute path");
  }

  @Test
  void aRepositoryCreatedOverRestWithoutASigningBlockHasNoKeyAndItsUsageSaysWhatThatMeans() {
    String unsigned = Names.unique("usage-unsigned");
    rest.createNixHosted(unsigned);

    JsonNode nix = rest.get("/service/rest/v1/repositories/nix/hosted/" + unsigned).expect(200).json().get("nix");
    JsonNode usage = rest.get("/service/rest/v1/nix/" + unsigned + "/usage").expect(200).json();

    assertThat(nix.path("signing").isMissingNode() || nix.path("signing").isNull()).as(nix.toString()).isTrue();
    assertThat(texts(usage.get("warnings"))).anySatisfy(warning -> assertThat(warning)
        .contains(unsigned + " has no signing key").contains("require-sigs"));
  }

  @Test
  void aProxyOfAnotherCacheTrustingOnlyCacheNixosOrgIsWarnedAboutAtCreationAndItsRefusalsShow() {
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("usage-upstream"));
    unsignedUpstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd", fresh.paths());
    String name = Names.unique("usage-foreign");
    Map<String, Object> body = NexusRest.nixProxyRequest(name, unsignedUpstream.url(), Map.of());
    // as a user would send it: no trustedUpstreamKeys, so cache.nixos.org's key only, and a signature required
    @SuppressWarnings("unchecked")
    Map<String, Object> nixBlock = new LinkedHashMap<>((Map<String, Object>) body.get("nix"));
    nixBlock.remove("trustedUpstreamKeys");
    body.put("nix", nixBlock);

    NexusRest.Response created = rest.post("/service/rest/v1/repositories/nix/proxy", body).expect(201);
    RawHttp.Response narInfo = admin.get(nexus.repositoryUrl(name) + "/" + hashPart(fresh.root()) + ".narinfo");
    JsonNode refusals = rest.get("/service/rest/v1/nix/" + name + "/upstream-refusals").expect(200).json();
    JsonNode usage = rest.get("/service/rest/v1/nix/" + name + "/usage").expect(200).json();

    assertThat(created.json().get("warnings").get(0).asText())
        .contains("The upstream 127.0.0.1 is not cache.nixos.org")
        .contains("refuses every narinfo");
    assertThat(narInfo.status()).isEqualTo(404);
    assertThat(refusals.get("count").asLong()).isEqualTo(1);
    assertThat(refusals.get("lastReason").asText()).contains(fresh.root().substring("/nix/store/".length()))
        .contains("is not signed");
    assertThat(texts(usage.get("warnings")))
        .anySatisfy(warning -> assertThat(warning).startsWith(name + ": The upstream 127.0.0.1"))
        .anySatisfy(warning -> assertThat(warning).startsWith(name + ": 1 upstream narinfo was refused"));
  }

  @Test
  void aProxyOfCacheNixosOrgOrTrustingItsUpstreamsKeyIsNotWarnedAbout() {
    Map<String, Object> cacheNixosOrg = NexusRest.nixProxyRequest(Names.unique("usage-cno"),
        "https://cache.nixos.org", Map.of("trustedUpstreamKeys", List.of(CACHE_NIXOS_ORG_KEY)));
    Map<String, Object> ownKey = NexusRest.nixProxyRequest(Names.unique("usage-own-key"), "http://127.0.0.1:9/x",
        Map.of("trustedUpstreamKeys", List.of(CACHE_NIXOS_ORG_KEY, publicKey(hosted))));

    NexusRest.Response first = rest.post("/service/rest/v1/repositories/nix/proxy", cacheNixosOrg).expect(201);
    NexusRest.Response second = rest.post("/service/rest/v1/repositories/nix/proxy", ownKey).expect(201);

    assertThat(first.body()).isEmpty();
    assertThat(second.body()).isEmpty();
  }

  private static String publicKey(final String repository) {
    RawHttp.Response key = admin.get(nexus.repositoryUrl(repository) + "/nix-public-key");
    assertThat(key.status()).as(key.toString()).isEqualTo(200);
    return key.bodyText().trim();
  }

  private static String hashPart(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  private static List<String> snippetIds(final JsonNode usage) {
    List<String> ids = new ArrayList<>();
    usage.get("snippets").forEach(snippet -> ids.add(snippet.get("id").asText()));
    return ids;
  }

  private static List<String> texts(final JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }
}
