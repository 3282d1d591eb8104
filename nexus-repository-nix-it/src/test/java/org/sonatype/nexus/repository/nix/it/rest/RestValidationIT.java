package org.sonatype.nexus.repository.nix.it.rest;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sonatype.nexus.repository.nix.it.rest.NixRepositoryBodies.GROUP;
import static org.sonatype.nexus.repository.nix.it.rest.NixRepositoryBodies.HOSTED;
import static org.sonatype.nexus.repository.nix.it.rest.NixRepositoryBodies.PROXY;

/**
 * A body the REST API cannot carry out is a 400 that names the field which is wrong, and changes nothing.
 */
class RestValidationIT
{
  private static NexusRest rest;

  private static String member;

  @BeforeAll
  static void setUp() {
    NexusServer nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    member = Names.unique("rest-valid-member");
    rest.createNixHosted(member);
  }

  static Stream<Arguments> badNixBlocks() {
    return Stream.of(
        Arguments.of("a negative priority", HOSTED, Map.of("priority", -1), "priority"),
        Arguments.of("a priority over 10000", PROXY, Map.of("priority", 10001), "priority"),
        Arguments.of("a relative store dir", HOSTED, Map.of("storeDir", "nix/store"), "storeDir"),
        Arguments.of("a store dir ending in /", GROUP, Map.of("storeDir", "/nix/store/"), "storeDir"),
        Arguments.of("a yes/no setting that is neither", HOSTED, Map.of("verifyNarHash", "maybe"), "verifyNarHash"),
        Arguments.of("an upload key that is no public key", HOSTED, Map.of("trustedUploadKeys", List.of("ci-1")),
            "nix.trustedUploadKeys"),
        Arguments.of("an upstream key that is no public key", PROXY, Map.of("trustedUpstreamKeys", List.of("x:y")),
            "nix.trustedUpstreamKeys"),
        Arguments.of("an upstream signature required of no key", PROXY,
            Map.of("trustedUpstreamKeys", List.of(), "requireUpstreamSignature", true), "nix.requireUpstreamSignature"),
        Arguments.of("a channels upstream that is no http(s) URL", PROXY, Map.of("channelsUrl", "ftp://example.org"),
            "channelsUrl"),
        Arguments.of("a key name with a space", HOSTED, Map.of("signing", Map.of("generate", true, "keyName", "a b")),
            "nix.signing.keyName"),
        Arguments.of("a damaged secret key", GROUP, Map.of("signing", Map.of("secretKey", "k-1:AAAA")),
            "nix.signing.secretKey"),
        Arguments.of("both a new and an imported key", HOSTED,
            Map.of("signing", Map.of("generate", true, "secretKey", "k-1:AAAA")), "nix.signing"),
        Arguments.of("a writable member that is no member", GROUP, Map.of("writableMember", "not-a-member"),
            "nix.writableMember"),
        Arguments.of("an answer to upstream failures that is neither error nor notFound", PROXY,
            Map.of("whenUpstreamFails", "404"), "whenUpstreamFails"),
        Arguments.of("an answer to member failures that is neither error nor notFound", GROUP,
            Map.of("whenUpstreamFails", "fallback"), "whenUpstreamFails"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNixBlocks")
  void aCreateWithIsA400NamingTheFieldAndCreatesNothing(
      final String mistake,
      final NixRepositoryBodies type,
      final Map<String, Object> nix,
      final String field)
  {
    String name = Names.unique("rest-invalid");

    NexusRest.Response answer = rest.post(type.endpoint(), type.body(name, nix, member)).expect(400);

    assertThat(answer.body()).contains(field);
    rest.get("/service/rest/v1/repositories/" + name).expect(404);
  }

  @Test
  void aCreateWithoutNameIsA400NamingTheField() {
    Map<String, Object> body = HOSTED.body("unnamed", Map.of(), member);
    body.remove("name");

    assertThat(rest.post(HOSTED.endpoint(), body).expect(400).body()).contains("name");
  }

  @Test
  void anUpdateWithABadValueIsA400AndChangesNothing() {
    String name = Names.unique("rest-invalid-update");
    rest.post(HOSTED.endpoint(), HOSTED.body(name, Map.of("priority", 33), member)).expect(201);

    NexusRest.Response answer =
        rest.put(HOSTED.endpoint() + "/" + name, HOSTED.body(name, Map.of("priority", -5), member)).expect(400);

    assertThat(answer.body()).contains("priority");
    assertThat(rest.get(HOSTED.endpoint() + "/" + name).expect(200).json().get("nix").get("priority").asInt())
        .isEqualTo(33);
  }
}
