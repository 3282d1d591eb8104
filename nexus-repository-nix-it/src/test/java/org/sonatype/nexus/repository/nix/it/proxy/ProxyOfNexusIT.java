package org.sonatype.nexus.repository.nix.it.proxy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A proxy whose upstream is another Nexus Nix repository, with credentials: how a second site mirrors the first.
 * (Both ends are the shared Nexus here; over HTTP that is the same as two servers.)
 */
class ProxyOfNexusIT
{
  @Test
  void aProxyOfAHostedRepositoryAndAProxyOfThatProxySubstitute() {
    NexusServer nexus = NexusServer.get();
    NexusRest rest = nexus.rest();
    String hostedUrl = rest.createNixHosted(Names.unique("site-a"));
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("mirror"));
    client(nexus).copyTo(hostedUrl, fresh.paths());

    String firstName = Names.unique("site-b");
    rest.post("/service/rest/v1/repositories/nix/proxy", withCredentials(firstName, hostedUrl, nexus)).expect(201);
    String second = Names.unique("site-c");
    rest.post("/service/rest/v1/repositories/nix/proxy",
        withCredentials(second, rest.repositoryUrl(firstName), nexus)).expect(201);

    for (String url : List.of(rest.repositoryUrl(firstName), rest.repositoryUrl(second))) {
      Path store = ItDirs.newTempDir("mirror-store");
      client(nexus).realiseInto(store, url, List.of(fresh.root()), false);
      assertThat(NixClient.inStore(store, fresh.root())).as(url).exists();
      assertThat(NixClient.inStore(store, fresh.dependency())).as(url).exists();
    }
  }

  @Test
  void theProxySettingsRoundTripThroughRest() {
    NexusRest rest = NexusServer.get().rest();
    String name = Names.unique("proxy-rest");
    rest.createNixProxy(name, "https://cache.nixos.org", Map.of());

    JsonNode created = rest.get("/service/rest/v1/repositories/nix/proxy/" + name).expect(200).json();
    rest.put("/service/rest/v1/repositories/nix/proxy/" + name,
        NexusRest.nixProxyRequest(name, "https://cache.nixos.org", Map.of("priority", 45))).expect(204);
    JsonNode updated = rest.get("/service/rest/v1/repositories/nix/proxy/" + name).expect(200).json();
    NexusRest.Response invalid = rest.put("/service/rest/v1/repositories/nix/proxy/" + name,
        NexusRest.nixProxyRequest(name, "https://cache.nixos.org", Map.of("priority", -1)));

    assertThat(created.get("nix").get("priority").asInt()).isEqualTo(40);
    assertThat(created.get("nix").get("storeDir").asText()).isEqualTo("/nix/store");
    assertThat(created.get("proxy").get("remoteUrl").asText()).isEqualTo("https://cache.nixos.org");
    assertThat(updated.get("nix").get("priority").asInt()).isEqualTo(45);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body()).contains("priority");
  }

  private static Map<String, Object> withCredentials(final String name, final String remoteUrl,
                                                     final NexusServer nexus)
  {
    Map<String, Object> body = NexusRest.nixProxyRequest(name, remoteUrl, Map.of());
    body.put("httpClient", Map.of("blocked", false, "autoBlock", false, "authentication",
        Map.of("type", "username", "username", "admin", "password", nexus.adminPassword())));
    return body;
  }

  private static NixClient client(final NexusServer nexus) {
    return NixClient.builder().name("mirror").netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }
}
