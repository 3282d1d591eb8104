package org.sonatype.nexus.repository.nix.it.hosted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Store paths are immutable: identical re-uploads are fine (concurrent pushers do them), added signatures merge,
 * anything else is a conflict unless the write policy allows redeploy; a read-only repository takes nothing; a
 * deleted store path takes its NAR with it unless another narinfo still uses that file, and a store path others
 * reference is only deleted together with them ({@code ?cascade=true}).
 */
class HostedWriteRulesIT
{
  private static NexusServer nexus;

  private static RawHttp http;

  private static ClosureGenerator closure;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    http = RawHttp.basic("admin", nexus.adminPassword());
    closure = ClosureGenerator.get();
  }

  @Test
  void anIdenticalNarInfoIsAcceptedAgain() {
    Pushed pushed = push("allow_once");

    RawHttp.Response again = putNarInfo(pushed.url, pushed.dependencyHash, pushed.dependencyNarInfo);

    assertThat(again.status()).isEqualTo(200);
    assertThat(narInfo(pushed.url, pushed.dependencyHash)).isEqualTo(pushed.dependencyNarInfo);
  }

  @Test
  void aNarInfoThatOnlyAddsSignaturesMergesThem() {
    Pushed pushed = push("allow_once");
    String first = "test-key-1:" + Base64.getEncoder().encodeToString(new byte[64]);
    String second = "test-key-2:" + Base64.getEncoder().encodeToString(new byte[64]);

    assertThat(putNarInfo(pushed.url, pushed.dependencyHash, pushed.dependencyNarInfo + "Sig: " + first + "\n")
        .status()).isEqualTo(200);
    assertThat(putNarInfo(pushed.url, pushed.dependencyHash, pushed.dependencyNarInfo + "Sig: " + second + "\n")
        .status()).isEqualTo(200);

    assertThat(narInfo(pushed.url, pushed.dependencyHash)).contains("Sig: " + first).contains("Sig: " + second);
  }

  @Test
  void aDifferentNarInfoForAStoredPathIsAConflict() {
    Pushed pushed = push("allow_once");
    String changed = pushed.dependencyNarInfo.replaceAll("Deriver: .*\n", "");

    RawHttp.Response response = putNarInfo(pushed.url, pushed.dependencyHash, changed);

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.bodyText()).contains("immutable");
    assertThat(narInfo(pushed.url, pushed.dependencyHash)).isEqualTo(pushed.dependencyNarInfo);
  }

  @Test
  void aRepositoryThatAllowsRedeployTakesTheNewNarInfo() {
    Pushed pushed = push("allow");
    String changed = pushed.dependencyNarInfo.replaceAll("Deriver: .*\n", "");

    RawHttp.Response response = putNarInfo(pushed.url, pushed.dependencyHash, changed);

    assertThat(response.status()).isEqualTo(200);
    assertThat(narInfo(pushed.url, pushed.dependencyHash)).doesNotContain("Deriver:");
  }

  @Test
  void aNarReplacedUnderAllowIsVerifiedAgainNotTrustedForItsOldBytes() {
    Pushed pushed = push("allow_once");
    String rootHash = HostedPushAndSubstituteIT.hashPart(pushed.root);
    byte[] dependencyNar = http.get(pushed.url + "/" + narPathOf(pushed.dependencyNarInfo)).body();
    byte[] rootNar = http.get(pushed.url + "/" + narPathOf(narInfo(pushed.url, rootHash))).body();
    String url = nexus.rest().createNixHosted(Names.unique("hosted-reverify"), Map.of(), "allow");
    // a NAR under a name that is not its hash, and a narinfo without FileHash and FileSize: only NarHash checks it
    String narInfo = pushed.dependencyNarInfo
        .replaceAll("URL: .*\n", "URL: nar/replaced.nar.xz\n")
        .replaceAll("(FileHash|FileSize): .*\n", "");
    assertThat(http.put(url + "/nar/replaced.nar.xz", "application/x-nix-nar", dependencyNar).status())
        .isEqualTo(201);
    assertThat(putNarInfo(url, pushed.dependencyHash, narInfo).status()).isEqualTo(201);

    // the write policy lets the NAR file be replaced with other bytes
    assertThat(http.put(url + "/nar/replaced.nar.xz", "application/x-nix-nar", rootNar).status()).isEqualTo(200);
    String aliasHash = aliasHash(pushed.dependencyHash);
    RawHttp.Response alias = putNarInfo(url, aliasHash, narInfo
        .replaceAll("StorePath: /nix/store/[0-9a-z]{32}-", "StorePath: /nix/store/" + aliasHash + "-alias-")
        .replaceAll("Deriver: .*\n", ""));

    assertThat(alias.status()).as("a narinfo claiming the old bytes' NarHash for the new bytes").isEqualTo(400);
    // the new bytes are bigger than the old: the digest stops at the narinfo's NarSize and says so
    assertThat(alias.bodyText()).containsAnyOf("NarHash", "NarSize");
  }

  @Test
  void aReadOnlyRepositoryRefusesEveryWrite() {
    String repository = Names.unique("hosted-deny");
    String url = nexus.rest().createNixHosted(repository, Map.of(), "deny");
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("deny"));

    NixClient.Result push = client().run(List.of("nix", "copy", "--to", url, fresh.root()), NixClient.DEFAULT_TIMEOUT);
    RawHttp.Response put = http.put(url + "/nar/x.nar", "application/x-nix-nar", new byte[] {1});

    assertThat(push.ok()).isFalse();
    assertThat(push.stderr()).contains("405");
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.bodyText()).contains("read-only");
  }

  @Test
  void deletingAStorePathRemovesItsNarInfoListingAndNar() {
    Pushed pushed = push("allow_once");
    String narPath = narPathOf(pushed.dependencyNarInfo);
    assertThat(http.get(pushed.url + "/" + pushed.dependencyHash + ".ls").status()).isEqualTo(200);

    // the dependency is referenced by the fresh root: deleting it alone would break the root's closure
    assertThat(http.delete(pushed.url + "/" + pushed.dependencyHash + ".narinfo").status()).isEqualTo(409);
    RawHttp.Response delete = http.delete(pushed.url + "/" + pushed.dependencyHash + ".narinfo?cascade=true");

    assertThat(delete.status()).isEqualTo(204);
    assertThat(http.get(pushed.url + "/" + pushed.dependencyHash + ".narinfo").status()).isEqualTo(404);
    assertThat(http.get(pushed.url + "/" + pushed.dependencyHash + ".ls").status()).isEqualTo(404);
    assertThat(http.get(pushed.url + "/" + narPath).status()).isEqualTo(404);
    assertThat(http.delete(pushed.url + "/" + pushed.dependencyHash + ".narinfo").status()).isEqualTo(404);
  }

  @Test
  void deletingAStorePathKeepsANarAnotherNarInfoStillUses() {
    Pushed pushed = push("allow_once");
    String narPath = narPathOf(pushed.dependencyNarInfo);
    // a second store path whose narinfo points at the same NAR file (same contents, another name)
    String aliasHash = aliasHash(pushed.dependencyHash);
    String alias = pushed.dependencyNarInfo
        .replaceAll("StorePath: /nix/store/[0-9a-z]{32}-", "StorePath: /nix/store/" + aliasHash + "-alias-")
        .replaceAll("Deriver: .*\n", "");
    assertThat(putNarInfo(pushed.url, aliasHash, alias).status()).isEqualTo(201);

    // cascade: the fresh root, which references the dependency, goes too
    assertThat(http.delete(pushed.url + "/" + pushed.dependencyHash + ".narinfo?cascade=true").status())
        .isEqualTo(204);
    assertThat(http.get(pushed.url + "/" + narPath).status()).as("NAR still used by the alias").isEqualTo(200);

    assertThat(http.delete(pushed.url + "/" + aliasHash + ".narinfo").status()).isEqualTo(204);
    assertThat(http.get(pushed.url + "/" + narPath).status()).as("NAR used by nobody").isEqualTo(404);
  }

  // ---- helpers

  private record Pushed(String url, String root, String dependencyHash, String dependencyNarInfo)
  {
  }

  /** Another store hash, as like the given one as can be. */
  private static String aliasHash(final String storeHash) {
    return (storeHash.charAt(0) == '0' ? "1" : "0") + storeHash.substring(1);
  }

  /** A fresh closure pushed with nix (listings on), and its dependency's narinfo as the repository serves it. */
  private Pushed push(final String writePolicy) {
    String url = nexus.rest().createNixHosted(Names.unique("hosted-rules"), Map.of(), writePolicy);
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("rules"));
    client().copyTo(url + "?write-nar-listing=true", fresh.paths());
    String hash = HostedPushAndSubstituteIT.hashPart(fresh.dependency());
    return new Pushed(url, fresh.root(), hash, narInfo(url, hash));
  }

  private static String narInfo(final String url, final String hash) {
    RawHttp.Response response = http.get(url + "/" + hash + ".narinfo");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.bodyText();
  }

  private static RawHttp.Response putNarInfo(final String url, final String hash, final String text) {
    return http.put(url + "/" + hash + ".narinfo", "text/x-nix-narinfo", text.getBytes(UTF_8));
  }

  private static String narPathOf(final String narInfo) {
    return narInfo.lines().filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());
  }

  private static NixClient client() {
    return NixClient.builder().name("pusher").netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }
}
