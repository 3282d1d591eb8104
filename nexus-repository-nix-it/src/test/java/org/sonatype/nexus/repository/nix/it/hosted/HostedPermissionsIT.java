package org.sonatype.nexus.repository.nix.it.hosted;

import java.nio.file.Path;
import java.util.List;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repository-view privileges as for every Nexus format: read to substitute, add/edit to push, delete to delete;
 * refusals are 401/403, never a 404 that Nix would remember as "not in this cache".
 */
class HostedPermissionsIT
{
  private static final String PASSWORD = "it-secret-1";

  private static NexusServer nexus;

  private static ClosureGenerator closure;

  private static String repository;

  private static String url;

  private static ClosureGenerator.Fresh pushedByAdmin;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    closure = ClosureGenerator.get();
    NexusRest rest = nexus.rest();
    repository = Names.unique("hosted-perm");
    url = rest.createNixHosted(repository);
    pushedByAdmin = closure.fresh(Names.unique("perm"));
    client("admin", nexus.adminPassword()).copyTo(url, pushedByAdmin.paths());

    rest.createRole(repository + "-reader", "nx-repository-view-nix-" + repository + "-read",
        "nx-repository-view-nix-" + repository + "-browse");
    rest.createUser(repository + "-reader", PASSWORD, repository + "-reader");
    rest.createRole(repository + "-deployer", "nx-repository-view-nix-" + repository + "-read",
        "nx-repository-view-nix-" + repository + "-browse", "nx-repository-view-nix-" + repository + "-add",
        "nx-repository-view-nix-" + repository + "-edit");
    rest.createUser(repository + "-deployer", PASSWORD, repository + "-deployer");
  }

  @Test
  void aReadOnlyUserSubstitutes() {
    Path store = ItDirs.newTempDir("store");
    client(repository + "-reader", PASSWORD).realiseInto(store, url, List.of(pushedByAdmin.root()), false);

    assertThat(NixClient.inStore(store, pushedByAdmin.root())).exists();
  }

  @Test
  void aReadOnlyUsersPushFailsWith403() {
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("perm-ro"));

    NixClient.Result push = client(repository + "-reader", PASSWORD)
        .run(List.of("nix", "copy", "--to", url, fresh.root()), NixClient.DEFAULT_TIMEOUT);

    assertThat(push.ok()).as(push.toString()).isFalse();
    assertThat(push.stderr()).contains("HTTP error 403");
  }

  @Test
  void aDeployerPushes() {
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("perm-deploy"));

    client(repository + "-deployer", PASSWORD).copyTo(url, fresh.paths());

    assertThat(RawHttp.basic("admin", nexus.adminPassword())
        .get(url + "/" + HostedPushAndSubstituteIT.hashPart(fresh.root()) + ".narinfo").status()).isEqualTo(200);
  }

  @Test
  void anAnonymousPushFails() {
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("perm-anon"));

    NixClient.Result push = NixClient.builder().name("anonymous").build()
        .run(List.of("nix", "copy", "--to", url, fresh.root()), NixClient.DEFAULT_TIMEOUT);

    assertThat(push.ok()).as(push.toString()).isFalse();
  }

  @Test
  void refusedRequestsAre401Or403NeverNotFound() {
    String narInfo = url + "/" + HostedPushAndSubstituteIT.hashPart(pushedByAdmin.root()) + ".narinfo";
    RawHttp anonymous = RawHttp.anonymous();
    RawHttp reader = RawHttp.basic(repository + "-reader", PASSWORD);

    assertThat(anonymous.get(narInfo).status()).isEqualTo(401);
    assertThat(anonymous.get(url + "/nix-cache-info").status()).isEqualTo(401);
    assertThat(anonymous.put(url + "/nar/x.nar", "application/x-nix-nar", new byte[] {1}).status()).isEqualTo(401);
    assertThat(reader.put(url + "/nar/x.nar", "application/x-nix-nar", new byte[] {1}).status()).isEqualTo(403);
    assertThat(reader.delete(narInfo).status()).isEqualTo(403);
    assertThat(reader.get(narInfo).status()).isEqualTo(200);
  }

  private static NixClient client(final String user, final String password) {
    return NixClient.builder().name(user).netrc("127.0.0.1", user, password).build();
  }
}
