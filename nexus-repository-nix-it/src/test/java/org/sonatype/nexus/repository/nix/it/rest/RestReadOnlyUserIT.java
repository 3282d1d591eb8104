package org.sonatype.nexus.repository.nix.it.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sonatype.nexus.repository.nix.it.rest.NixRepositoryBodies.HOSTED;

/**
 * A user holding only a repository's browse and read privileges ({@code nx-repository-view-nix-<repo>-browse},
 * {@code -read}) finds the repository and its store paths over REST and cannot change or delete it.
 * (In the UI: UiReadOnlyUserIT.)
 */
class RestReadOnlyUserIT
{
  private static final String REPOSITORY = Names.unique("rest-readable");

  private static final String USER = Names.unique("rest-reader");

  private static NexusRest admin;

  private static NexusRest reader;

  private static String storePathName;

  @BeforeAll
  static void setUp() {
    NexusServer nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    admin = nexus.rest();
    admin.createNixHosted(REPOSITORY);
    NixClient nix = NixClient.builder().name("rest-reader").netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
    // no "-" before a digit, which Nix would take for the start of a version
    storePathName = Names.unique("rest-readable-path").replace('-', '_');
    List<String> built = nix.run("nix-build", "--no-out-link", "-E", "derivation { name = \"" + storePathName
        + "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; args = [ \"-c\" \"echo x > $out\" ]; }")
        .assertSuccess().stdoutLines();
    nix.copyTo(nexus.repositoryUrl(REPOSITORY), List.of(built.get(built.size() - 1)));
    admin.createRole(USER + "-role",
        "nx-repository-view-nix-" + REPOSITORY + "-browse", "nx-repository-view-nix-" + REPOSITORY + "-read");
    admin.createUser(USER, "pw-" + USER, USER + "-role");
    reader = admin.as(USER, "pw-" + USER);
  }

  @Test
  void searchFindsItsStorePaths() {
    JsonNode found = reader.searchUntil(Map.of("format", "nix", "name", storePathName),
        answer -> answer.get("items").size() == 1, Duration.ofSeconds(60));

    assertThat(found.get("items").get(0).get("repository").asText()).isEqualTo(REPOSITORY);
  }

  @Test
  void theListOfRepositoriesShowsIt() {
    List<String> names = new ArrayList<>();
    reader.get("/service/rest/v1/repositories").expect(200).json().forEach(r -> names.add(r.get("name").asText()));

    assertThat(names).contains(REPOSITORY);
  }

  @Test
  void anUpdateIsForbidden() {
    reader.put(HOSTED.endpoint() + "/" + REPOSITORY, HOSTED.body(REPOSITORY, Map.of("priority", 1), null))
        .expect(403);

    assertThat(admin.get(HOSTED.endpoint() + "/" + REPOSITORY).expect(200).json().get("nix").get("priority").asInt())
        .isEqualTo(30);
  }

  @Test
  void deletingIsForbidden() {
    reader.delete("/service/rest/v1/repositories/" + REPOSITORY).expect(403);

    admin.get(HOSTED.endpoint() + "/" + REPOSITORY).expect(200);
  }

  @Test
  void theUisServiceRefusesToSaveItsSettings() {
    JsonNode answer = reader.post("/service/extdirect", Map.of("action", "coreui_Repository", "method", "update",
        "type", "rpc", "tid", 1, "data", List.of(Map.of("name", REPOSITORY, "format", "nix", "type", "hosted",
            "online", true, "recipe", "nix-hosted", "attributes", Map.of("nix", Map.of("priority", 1))))))
        .expect(200).json();

    assertThat(answer.get("result").get("success").asBoolean()).as(answer.toString()).isFalse();
    assertThat(admin.get(HOSTED.endpoint() + "/" + REPOSITORY).expect(200).json().get("nix").get("priority").asInt())
        .isEqualTo(30);
  }
}
