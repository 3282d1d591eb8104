package org.sonatype.nexus.repository.nix.it.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.ClientPaths;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.NixInstallation;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A proxy whose upstream is down, and a group over it, answer 5xx for what they have not cached, so that Nix keeps
 * no negative cache entry. What a build then does depends on the client: with {@code fallback = true}, Nix 2.26 and
 * later build locally what they could not substitute, while Nix 2.8 aborts ("substituter ... is disabled"); without
 * it, every client aborts. Each case builds a derivation no one has built, so the client must ask the substituter.
 */
class FallbackIT
{
  private static NexusServer nexus;

  private static String password;

  private static Map<String, String> urls;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    NexusRest rest = nexus.rest();
    password = nexus.adminPassword();
    String proxy = Names.unique("fallback-proxy");
    String proxyUrl = rest.createNixProxy(proxy, "http://127.0.0.1:" + closedPort(), Map.of());
    String groupUrl = rest.createNixGroup(Names.unique("fallback-group"), List.of(proxy), Map.of());
    urls = Map.of("proxy", proxyUrl, "group", groupUrl);

    // the premise: a narinfo neither has cached is a 5xx from both, not a 404
    RawHttp http = RawHttp.basic("admin", password);
    for (String url : urls.values()) {
      RawHttp.Response miss = http.get(url + "/" + "0".repeat(32) + ".narinfo");
      assertThat(miss.status()).as(url + ": " + miss).isBetween(500, 599);
    }
  }

  /** A port nothing listens on: connections to it are refused at once. */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> clientsAndRepositories() {
    return NixInstallation.all().stream()
        .flatMap(nix -> Stream.of("proxy", "group").map(repository -> arguments(nix, repository)));
  }

  /** Whether the client builds locally when a substituter fails and {@code fallback = true}. */
  static boolean fallsBack(final NixInstallation installation) {
    return installation.atLeast(2, 26);
  }

  private static NixClient.Result build(final NixInstallation installation, final String repository,
                                        final boolean fallback, final String text)
  {
    NixClient nix = NixClient.builder().installation(installation).name("fallback-" + fallback)
        .netrc("127.0.0.1", "admin", password)
        .option("substituters", urls.get(repository))
        .option("require-sigs", "false")
        .option("fallback", Boolean.toString(fallback))
        .build();
    Path expression = ClientPaths.builtBy(nix).unbuiltExpression(Names.unique("fallback"), text);
    return nix.run(List.of("nix-build", expression.toString(), "--no-out-link"), NixClient.DEFAULT_TIMEOUT);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("clientsAndRepositories")
  void withFallbackNewerClientsBuildLocallyAndNix28Aborts(final NixInstallation installation,
                                                        final String repository) throws IOException
  {
    NixClient.Result build = build(installation, repository, true, "built-locally");

    if (fallsBack(installation)) {
      assertThat(build.ok()).as(build.toString()).isTrue();
      String output = build.stdoutLines().get(build.stdoutLines().size() - 1);
      assertThat(Files.readString(installation.hostPath(output)).trim()).isEqualTo("built-locally");
      assertThat(build.stderr()).as(build.toString()).contains("HTTP error 50");
    }
    else {
      assertThat(build.ok()).as(build.toString()).isFalse();
      assertThat(build.stderr()).as(build.toString()).contains("is disabled");
    }
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("clientsAndRepositories")
  void withoutFallbackEveryClientAbortsTheBuild(final NixInstallation installation, final String repository) {
    NixClient.Result build = build(installation, repository, false, "never-built");

    assertThat(build.ok()).as(build.toString()).isFalse();
    assertThat(build.stderr()).as(build.toString()).contains("HTTP error 50");
  }
}
