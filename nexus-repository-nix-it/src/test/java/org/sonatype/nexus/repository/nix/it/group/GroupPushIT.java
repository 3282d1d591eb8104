package org.sonatype.nexus.repository.nix.it.group;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushing to a group: with a writable member, {@code nix copy --to <group>} lands in that member and substitutes
 * through the group at once; without one the group refuses writes with a 405 naming the setting. The group's
 * settings are validated when it is saved.
 */
class GroupPushIT
{
  @Test
  void nixCopyToAGroupLandsInItsWritableMemberAndSubstitutesAtOnce() {
    NexusRest rest = NexusServer.get().rest();
    String hosted = Names.unique("writable");
    rest.createNixHosted(hosted);
    String other = Names.unique("other");
    rest.createNixHosted(other);
    String group = rest.createNixGroup(Names.unique("group-push"), List.of(other, hosted),
        Map.of("writableMember", hosted));
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("group-push"));

    GroupSubstituteIT.client().copyTo(group, fresh.paths());

    RawHttp http = RawHttp.basic("admin", NexusServer.get().adminPassword());
    String narInfo = "/" + GroupSubstituteIT.hashPart(fresh.root()) + ".narinfo";
    assertThat(http.get(rest.repositoryUrl(hosted) + narInfo).status()).isEqualTo(200);
    assertThat(http.get(rest.repositoryUrl(other) + narInfo).status()).isEqualTo(404);
    Path store = ItDirs.newTempDir("group-push-store");
    GroupSubstituteIT.client().realiseInto(store, group, List.of(fresh.root()), false);
    assertThat(NixClient.inStore(store, fresh.root())).exists();
  }

  @Test
  void withoutAWritableMemberAPushFailsWith405() {
    NexusRest rest = NexusServer.get().rest();
    String hosted = Names.unique("read-only-member");
    rest.createNixHosted(hosted);
    String group = rest.createNixGroup(Names.unique("group-no-push"), List.of(hosted), Map.of());
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("group-no-push"));

    NixClient.Result push = GroupSubstituteIT.client()
        .run(List.of("nix", "copy", "--to", group, fresh.root()), NixClient.DEFAULT_TIMEOUT);
    RawHttp.Response put = RawHttp.basic("admin", NexusServer.get().adminPassword())
        .put(group + "/nar/x.nar", "application/x-nix-nar", new byte[] {1});

    assertThat(push.ok()).isFalse();
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.bodyText()).contains("writableMember");
  }

  @Test
  void aWritableMemberMustBeAHostedMemberAndMembersMustShareTheStoreDir() {
    NexusRest rest = NexusServer.get().rest();
    String hosted = Names.unique("member");
    rest.createNixHosted(hosted);
    String otherStore = Names.unique("other-store");
    rest.createNixHosted(otherStore, Map.of("storeDir", "/opt/nix/store"), "allow_once");
    String stranger = Names.unique("stranger");
    rest.createNixHosted(stranger);

    NexusRest.Response notAMember = rest.post("/service/rest/v1/repositories/nix/group",
        NexusRest.nixGroupRequest(Names.unique("g"), List.of(hosted), Map.of("writableMember", stranger)));
    NexusRest.Response mixedStores = rest.post("/service/rest/v1/repositories/nix/group",
        NexusRest.nixGroupRequest(Names.unique("g"), List.of(hosted, otherStore), Map.of()));

    assertThat(notAMember.status()).isEqualTo(400);
    assertThat(notAMember.body()).contains("writableMember");
    assertThat(mixedStores.status()).isEqualTo(400);
    assertThat(mixedStores.body()).contains("/opt/nix/store");
  }

  @Test
  void theGroupSettingsRoundTripThroughRest() {
    NexusRest rest = NexusServer.get().rest();
    String hosted = Names.unique("rt-member");
    rest.createNixHosted(hosted);
    String name = Names.unique("group-rest");
    rest.createNixGroup(name, List.of(hosted), Map.of("writableMember", hosted, "priority", 20));

    var group = rest.get("/service/rest/v1/repositories/nix/group/" + name).expect(200).json();

    assertThat(group.get("nix").get("writableMember").asText()).isEqualTo(hosted);
    assertThat(group.get("nix").get("priority").asInt()).isEqualTo(20);
    assertThat(group.get("group").get("memberNames").get(0).asText()).isEqualTo(hosted);
  }
}
