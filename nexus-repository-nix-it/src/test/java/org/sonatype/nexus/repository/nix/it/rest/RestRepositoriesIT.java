package org.sonatype.nexus.repository.nix.it.rest;

import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nix repositories managed over the REST API, as automation does it: created, read, updated and deleted, every Nix
 * setting in the {@code nix} block.
 */
class RestRepositoriesIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  /** The member of the groups. */
  private static String member;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    member = Names.unique("rest-member");
    rest.createNixHosted(member);
  }

  @ParameterizedTest
  @EnumSource(NixRepositoryBodies.class)
  void createStoresEveryNixSetting(final NixRepositoryBodies type) {
    String name = Names.unique("rest-create");

    rest.post(type.endpoint(), type.body(name, type.settings(member), member)).expect(201);

    assertThatNixBlockHas(type, name, type.settings(member));
  }

  @ParameterizedTest
  @EnumSource(NixRepositoryBodies.class)
  void aCreatedRepositoryServesNixCacheInfoAsConfigured(final NixRepositoryBodies type) {
    String name = Names.unique("rest-cache-info");
    rest.post(type.endpoint(), type.body(name, type.settings(member), member)).expect(201);

    RawHttp.Response cacheInfo = http().get(nexus.repositoryUrl(name) + "/nix-cache-info");

    assertThat(cacheInfo.status()).as(cacheInfo.toString()).isEqualTo(200);
    assertThat(cacheInfo.bodyText()).contains("StoreDir: /nix/store")
        .contains("Priority: " + type.settings(member).get("priority"));
  }

  @ParameterizedTest
  @EnumSource(NixRepositoryBodies.class)
  void updateReplacesTheNixSettings(final NixRepositoryBodies type) {
    String name = Names.unique("rest-update");
    rest.post(type.endpoint(), type.body(name, Map.of(), member)).expect(201);

    rest.put(type.endpoint() + "/" + name, type.body(name, type.settings(member), member)).expect(204);

    assertThatNixBlockHas(type, name, type.settings(member));
  }

  @ParameterizedTest
  @EnumSource(NixRepositoryBodies.class)
  void deleteThroughTheGenericEndpointRemovesTheRepository(final NixRepositoryBodies type) {
    String name = Names.unique("rest-delete");
    rest.post(type.endpoint(), type.body(name, Map.of(), member)).expect(201);

    rest.delete("/service/rest/v1/repositories/" + name).expect(204);

    rest.get(type.endpoint() + "/" + name).expect(404);
    assertThat(http().get(nexus.repositoryUrl(name) + "/nix-cache-info").status()).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(value = NixRepositoryBodies.class, names = {"HOSTED", "GROUP"})
  void getShowsTheSigningKeysNameAndPublicKeyButNoSecret(final NixRepositoryBodies type) {
    String name = Names.unique("rest-signing");
    rest.post(type.endpoint(), type.body(name, type.settingsWithKey(member, name + "-key-1"), member)).expect(201);

    NexusRest.Response answer = rest.get(type.endpoint() + "/" + name).expect(200);

    JsonNode signing = answer.json().get("nix").get("signing");
    assertThat(signing.get("keyName").asText()).isEqualTo(name + "-key-1");
    assertThat(signing.get("publicKey").asText()).startsWith(name + "-key-1:");
    assertThat(answer.body()).doesNotContainIgnoringCase("secret").doesNotContain("nix-encrypted");
  }

  @ParameterizedTest
  @EnumSource(value = NixRepositoryBodies.class, names = {"HOSTED", "GROUP"})
  void anUpdateWithoutSigningBlockKeepsTheKey(final NixRepositoryBodies type) {
    String name = Names.unique("rest-keep-key");
    rest.post(type.endpoint(), type.body(name, type.settingsWithKey(member, name + "-1"), member)).expect(201);
    String publicKey = publicKey(type, name);

    rest.put(type.endpoint() + "/" + name, type.body(name, type.settings(member), member)).expect(204);

    assertThat(publicKey(type, name)).isEqualTo(publicKey);
  }

  /** Every setting sent is in the {@code nix} block GET answers, as sent. */
  private static void assertThatNixBlockHas(
      final NixRepositoryBodies type,
      final String name,
      final Map<String, Object> settings)
  {
    JsonNode nix = rest.get(type.endpoint() + "/" + name).expect(200).json().get("nix");
    settings.forEach((key, value) ->
        assertThat(nix.get(key)).as("nix." + key).isEqualTo(Json.MAPPER.valueToTree(value)));
  }

  private static String publicKey(final NixRepositoryBodies type, final String name) {
    return rest.get(type.endpoint() + "/" + name).expect(200).json().get("nix").get("signing").get("publicKey")
        .asText();
  }

  private static RawHttp http() {
    return RawHttp.basic("admin", nexus.adminPassword());
  }
}
