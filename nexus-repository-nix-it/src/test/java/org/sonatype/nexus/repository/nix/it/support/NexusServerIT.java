package org.sonatype.nexus.repository.nix.it.support;

import java.nio.charset.StandardCharsets;


import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The test infrastructure itself: the shared Nexus boots, the admin REST client works, and the helpers
 * other tests rely on (repositories, anonymous access, roles and users, crash and restart) do what they say.
 * Nothing here needs the plugin.
 */
class NexusServerIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  @BeforeAll
  static void boot() {
    nexus = NexusServer.get();
    rest = nexus.rest();
  }

  @Test
  void bootsAndAnswersAuthenticatedRest() {
    assertThat(nexus.adminPassword()).isNotBlank();
    assertThat(rest.get("/service/rest/v1/status/writable").status()).isEqualTo(200);
    assertThat(rest.get("/service/rest/v1/repositories").expect(200).json().isArray()).isTrue();
    assertThat(rest.as("admin", "wrong-password").get("/service/rest/v1/repositories").status()).isEqualTo(401);
  }

  @Test
  void createsAndDeletesRepositories() {
    String name = Names.unique("raw");
    String url = rest.createRawHosted(name);

    assertThat(url).isEqualTo(nexus.baseUrl() + "/repository/" + name);
    JsonNode repository = rest.repository(name);
    assertThat(repository.get("format").asText()).isEqualTo("raw");
    assertThat(repository.get("type").asText()).isEqualTo("hosted");

    rest.deleteRepository(name);
    assertThat(rest.get("/service/rest/v1/repositories/" + name).status()).isEqualTo(404);
  }

  @Test
  void anonymousAccessCanBeSwitchedOnAndOff() {
    String name = Names.unique("raw-anon");
    String url = rest.createRawHosted(name);
    RawHttp admin = RawHttp.basic("admin", nexus.adminPassword());
    assertThat(admin.put(url + "/hello.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)).status())
        .isBetween(200, 204);

    assertThat(RawHttp.anonymous().get(url + "/hello.txt").status()).isEqualTo(401);
    try {
      rest.enableAnonymous(true);
      RawHttp.Response response = RawHttp.anonymous().get(url + "/hello.txt");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo("hello");
    }
    finally {
      rest.enableAnonymous(false);
    }
    assertThat(RawHttp.anonymous().get(url + "/hello.txt").status()).isEqualTo(401);
  }

  @Test
  void rolesAndUsersGrantRepositoryPrivileges() {
    String repo = Names.unique("raw-secured");
    String url = rest.createRawHosted(repo);
    RawHttp.basic("admin", nexus.adminPassword()).put(url + "/f.txt", "text/plain", new byte[]{'x'});
    String role = Names.unique("reader");
    String user = Names.unique("alice");
    rest.createRole(role, "nx-repository-view-raw-" + repo + "-read", "nx-repository-view-raw-" + repo + "-browse");
    rest.createUser(user, "s3cret-pw", role);

    RawHttp alice = RawHttp.basic(user, "s3cret-pw");
    assertThat(alice.get(url + "/f.txt").status()).isEqualTo(200);
    assertThat(alice.put(url + "/g.txt", "text/plain", new byte[]{'y'}).status()).isEqualTo(403);
    assertThat(rest.as(user, "s3cret-pw").get("/service/rest/v1/security/users").status()).isEqualTo(403);
  }

  @Test
  void pluginIsActiveWhenItsKarWasDeployed() {
    assumeTrue(nexus.pluginDeployed(), "booted without the plugin (-Dnix.kar=none)");
    // NexusServer already waited for this; asserting it again documents the contract.
    assertThat(rest.get("/service/rest/v1/security/privileges/nx-repository-view-nix-*-read").status())
        .isEqualTo(200);
  }

  @Test
  void survivesKillHardAndRestartsOnTheSameData() throws InterruptedException {
    String name = Names.unique("raw-crash");
    String url = rest.createRawHosted(name);
    RawHttp admin = RawHttp.basic("admin", nexus.adminPassword());
    admin.put(url + "/kept.txt", "text/plain", "kept".getBytes(StandardCharsets.UTF_8));
    String password = nexus.adminPassword();
    // H2 persists commits with a delay; give it time so this test is about restarting, not about
    // losing the last second (see NexusServer#killHard).
    Thread.sleep(2000);

    nexus.killHard();
    assertThat(nexus.isRunning()).isFalse();
    nexus.start();

    assertThat(nexus.adminPassword()).isEqualTo(password);
    assertThat(admin.get(url + "/kept.txt").bodyText()).isEqualTo("kept");
    System.out.println("[nexus-it] restart after kill -9 took " + nexus.lastBootTime().toMillis() + " ms");
  }
}
