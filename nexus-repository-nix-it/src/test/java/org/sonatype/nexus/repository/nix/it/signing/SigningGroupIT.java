package org.sonatype.nexus.repository.nix.it.signing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NarInfos;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfoSignatures;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A group with a signing key over a signing hosted member, against the real Nix 2.8 client: the group adds its
 * signature to the member's, so clients may trust either key; a new group key leaves no old group signature behind.
 */
class SigningGroupIT
{
  private static final String OTHER_KEY = "someone-else-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=";

  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp http;

  private static String hosted;

  private static String group;

  private static String groupUrl;

  private static String hostedKey;

  private static String groupKey;

  private static ClosureGenerator.Fresh pushed;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    http = RawHttp.basic("admin", nexus.adminPassword());

    hosted = Names.unique("group-member");
    String hostedUrl = rest.createNixHosted(hosted, Map.of("signing", Map.of("generate", true)), "allow_once");
    group = Names.unique("signing-group");
    groupUrl = rest.createNixGroup(group, List.of(hosted),
        Map.of("writableMember", hosted, "signing", Map.of("generate", true)));
    pushed = ClosureGenerator.get().fresh(Names.unique("grouped"));
    // unsigned, to the member: what the group serves is signed by the member and the group
    client("pusher").copyTo(hostedUrl, List.of(pushed.root()));
    hostedKey = http.get(hostedUrl + "/nix-public-key").bodyText().trim();
    groupKey = http.get(groupUrl + "/nix-public-key").bodyText().trim();
  }

  private static NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }

  private static NixClient.Result substituteThroughTheGroup(final String trustedKey) {
    Path store = ItDirs.newTempDir("store");
    return client("substituter").run(
        NixClient.realiseArgsTrusting(store, groupUrl, List.of(pushed.root()), trustedKey), NixClient.DEFAULT_TIMEOUT);
  }

  @Test
  void theGroupServesItsOwnPublicKey() {
    assertThat(groupKey).startsWith(group + "-1:").isNotEqualTo(hostedKey);
    assertThat(rest.get("/service/rest/v1/repositories/nix/group/" + group).expect(200).json()
        .get("nix").get("signing").get("publicKey").asText()).isEqualTo(groupKey);
  }

  @Test
  void aClosurePushedUnsignedSubstitutesThroughTheGroupTrustingOnlyTheGroupKey() {
    NixClient.Result result = substituteThroughTheGroup(groupKey);

    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @Test
  void theMembersSignaturePassesThroughTheGroup() {
    NixClient.Result result = substituteThroughTheGroup(hostedKey);

    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @Test
  void withAnotherTrustedKeyNixRefusesTheGroupsSubstitute() {
    NixClient.Result result = substituteThroughTheGroup(OTHER_KEY);

    assertThat(result.ok()).as(result.toString()).isFalse();
    assertThat(result.stderr()).contains("is not signed by any of the keys in 'trusted-public-keys'");
  }

  @Test
  void nixStoreVerifyThroughTheGroupFindsTheGroupsSignature() {
    NixClient.Result result = client("verifier").run(List.of("nix", "store", "verify", "--store", groupUrl, "-r",
        pushed.root(), "--sigs-needed", "1", "--trusted-public-keys", groupKey), NixClient.DEFAULT_TIMEOUT);

    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @Test
  void theGroupsNarinfoCarriesOneValidSignatureByEachKey() {
    NarInfo narInfo = NarInfos.get(http, groupUrl, pushed.root());

    assertThat(narInfo.sigs()).hasSize(2);
    assertThat(NarInfos.validSignatures(narInfo, hostedKey)).hasSize(1);
    assertThat(NarInfos.validSignatures(narInfo, groupKey)).hasSize(1);
  }

  @Test
  void aNewGroupKeyLeavesNoOldGroupSignatureBehind() {
    // a group and path of its own: this test changes the group's key
    String member = Names.unique("rotated-member");
    String memberUrl = rest.createNixHosted(member);
    String rotated = Names.unique("rotated-group");
    String rotatedUrl = rest.createNixGroup(rotated, List.of(member),
        Map.of("writableMember", member, "signing", Map.of("generate", true)));
    client("pusher").copyTo(rotatedUrl, List.of(pushed.dependency()));
    String oldKey = http.get(rotatedUrl + "/nix-public-key").bodyText().trim();
    // a narinfo PUT through the group carrying the group's own signature next to an added one, as a client that
    // copies what the group served and signs it PUTs it (the member's URL kept, so the member takes it)
    NixSecretKey uploader = NixSecretKey.generate(Names.unique("uploader"));
    String groupSignature = NarInfos.get(http, rotatedUrl, pushed.dependency()).sigs().get(0);
    NarInfo upload = NarInfoSignatures.signed(
        NarInfos.get(http, memberUrl, pushed.dependency()).withSigs(List.of(groupSignature)), uploader);
    assertThat(http.put(NarInfos.url(rotatedUrl, pushed.dependency()), "text/x-nix-narinfo",
        upload.toText().getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);

    rest.put("/service/rest/v1/repositories/nix/group/" + rotated, NexusRest.nixGroupRequest(rotated, List.of(member),
        Map.of("writableMember", member, "signing", Map.of("generate", true, "keyName", rotated + "-2")))).expect(204);

    String newKey = http.get(rotatedUrl + "/nix-public-key").bodyText().trim();
    NarInfo served = NarInfos.get(http, rotatedUrl, pushed.dependency());
    assertThat(newKey).startsWith(rotated + "-2:");
    assertThat(NarInfos.validSignatures(served, newKey)).hasSize(1);
    assertThat(NarInfos.validSignatures(served, uploader.publicKey().toText())).hasSize(1);
    assertThat(NarInfos.validSignatures(served, oldKey)).isEmpty();
    assertThat(served.sigs()).hasSize(2);
  }
}
