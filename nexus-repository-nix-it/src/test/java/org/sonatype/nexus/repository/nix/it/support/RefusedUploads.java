package org.sonatype.nexus.repository.nix.it.support;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A new, empty nix-hosted repository to send uploads it must refuse, as admin: with curl as users are told to, over
 * plain HTTP for what curl would not send, or through the Components API. Each test checks what its format serves
 * afterwards; {@link #assertNoComponentsOrAssets()} checks that nothing at all was stored.
 */
public final class RefusedUploads
{
  private final NexusServer nexus = NexusServer.get();

  private final String name;

  private final String url;

  private RefusedUploads(final String name) {
    this.name = name;
    this.url = nexus.rest().createNixHosted(name);
  }

  /** A new repository named after {@code prefix}; skips the test without the plugin. */
  public static RefusedUploads newRepository(final String prefix) {
    assumeTrue(NexusServer.get().pluginDeployed(), "needs the plugin");
    return new RefusedUploads(Names.unique(prefix));
  }

  /** The repository's URL, without a trailing slash. */
  public String url() {
    return url;
  }

  /** Plain HTTP as admin. */
  public RawHttp http() {
    return RawHttp.basic("admin", nexus.adminPassword());
  }

  /** {@code curl -T file <repository>/<path>}, the path as it is (dots and escapes included): a 400 with reason. */
  public void assertCurlRefused(final String path, final Path file, final String reason) {
    Curl.Result result = Curl.run("--path-as-is", "-u", "admin:" + nexus.adminPassword(), "-T", file.toString(),
        url + "/" + path);

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.body()).as(result.toString()).contains(reason);
  }

  /** {@code curl -F <field>... <Components API>} for this repository: the fields as curl takes them. */
  public Curl.Result componentsApi(final String... fields) {
    String[] args = new String[fields.length * 2 + 3];
    args[0] = "-u";
    args[1] = "admin:" + nexus.adminPassword();
    for (int i = 0; i < fields.length; i++) {
      args[2 + 2 * i] = "-F";
      args[3 + 2 * i] = fields[i];
    }
    args[args.length - 1] = nexus.baseUrl() + "/service/rest/v1/components?repository=" + name;
    return Curl.run(args);
  }

  /** Neither the components nor the assets REST API list anything in the repository. */
  public void assertNoComponentsOrAssets() {
    NexusRest rest = nexus.rest();
    assertThat(rest.get("/service/rest/v1/components?repository=" + name).expect(200).json().get("items")).isEmpty();
    assertThat(rest.get("/service/rest/v1/assets?repository=" + name).expect(200).json().get("items")).isEmpty();
  }
}
