package org.sonatype.nexus.repository.nix.it.rest;

import java.util.ArrayList;
import java.util.List;

import org.sonatype.nexus.repository.nix.it.support.NexusServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The REST API's own description ({@code /service/rest/swagger.json}, what Nexus's API page shows) documents the Nix
 * endpoints and their {@code nix} blocks.
 */
class RestSwaggerIT
{
  private static JsonNode swagger;

  @BeforeAll
  static void readSwagger() {
    NexusServer nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    swagger = nexus.rest().get("/service/rest/swagger.json").expect(200).json();
  }

  @Test
  void everyTypeCanBeCreatedReadAndUpdated() {
    for (String type : List.of("hosted", "proxy", "group")) {
      JsonNode paths = swagger.get("paths");
      assertThat(fieldNames(paths.get("/v1/repositories/nix/" + type))).as(type).contains("post");
      assertThat(fieldNames(paths.get("/v1/repositories/nix/" + type + "/{repositoryName}"))).as(type)
          .contains("get", "put");
    }
  }

  @Test
  void theNixBlocksListEverySetting() {
    assertThat(properties("NixHostedAttributes")).contains("storeDir", "priority", "verifyNarHash",
        "requireCompleteClosure", "trustedUploadKeys", "signing");
    assertThat(properties("NixProxyAttributes")).contains("storeDir", "priority", "trustedUpstreamKeys",
        "requireUpstreamSignature", "channelsUrl", "whenUpstreamFails");
    assertThat(properties("NixGroupAttributes")).contains("storeDir", "priority", "writableMember", "signing",
        "whenUpstreamFails");
  }

  @Test
  void theAnswerToUpstreamFailuresIsDescribedWithItsTwoValuesAndTheirTradeOff() {
    for (String definition : List.of("NixProxyAttributes", "NixGroupAttributes")) {
      JsonNode property = swagger.get("definitions").get(definition).get("properties").get("whenUpstreamFails");

      assertThat(property.get("enum").toString()).as(definition).isEqualTo("[\"error\",\"notFound\"]");
      assertThat(property.get("description").asText()).as(definition)
          .contains("'error' (default) answers 502/503/504")
          .contains("'notFound' answers 404 at once");
    }
  }

  @Test
  void theSigningBlockSaysHowToImportAKeyThatIsNeverReturned() {
    JsonNode signing = swagger.get("definitions").get("NixSigningAttributes");

    assertThat(fieldNames(signing.get("properties"))).contains("generate", "keyName", "remove", "publicKey")
        .doesNotContain("secretKey");
    assertThat(signing.get("description").asText()).contains("secretKey").contains("write-only");
  }

  @Test
  void gettingARepositoryAnswersItsNixBlock() {
    for (String type : List.of("Hosted", "Proxy", "Group")) {
      JsonNode get = swagger.get("paths").get("/v1/repositories/nix/" + type.toLowerCase() + "/{repositoryName}")
          .get("get");
      String answer = get.get("responses").get("200").get("schema").get("$ref").asText();

      assertThat(answer).isEqualTo("#/definitions/Nix" + type + "ApiRepository");
      assertThat(properties("Nix" + type + "ApiRepository")).contains("nix");
    }
  }

  private static List<String> properties(final String definition) {
    return fieldNames(swagger.get("definitions").get(definition).get("properties"));
  }

  private static List<String> fieldNames(final JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
