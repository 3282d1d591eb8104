package org.sonatype.nexus.repository.nix.usage;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSetupTest
{
  private static final String BASE = "https://nexus.example.com";

  private static final String GROUP_KEY = "team-1:h6QIQQIGmDZP5twRqtmdy80a5sHRFsSG2juT4RYDB5E=";

  private static final String HOSTED_KEY = "ci-1:lLkEZ6JW2jxwAq0Tcruwf7FFgTlcT7ogUaMVLuKfsM8=";

  private static final String CACHE_NIXOS_ORG_KEY = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";

  /** nix-hosted, substituted through nix-group (which also proxies cache.nixos.org), signed-in as alice. */
  private static ClientSetup.Builder hostedInAGroup() {
    return ClientSetup.builder()
        .repository("nix-hosted", "hosted")
        .substituter("nix-group", BASE + "/repository/nix-group")
        .push("nix-hosted", BASE + "/repository/nix-hosted")
        .trust(List.of(GROUP_KEY, HOSTED_KEY, CACHE_NIXOS_ORG_KEY))
        .host("nexus.example.com")
        .login("alice");
  }

  private static Map<String, Snippet> snippets(final ClientSetup setup) {
    return setup.getSnippets().stream().collect(Collectors.toMap(Snippet::getId, Function.identity()));
  }

  @Test
  void nixConfSubstitutesFromTheGroupTrustingItsKeysWithTheNetrcAndFallback() {
    Snippet nixConf = snippets(hostedInAGroup().build()).get(Snippet.NIX_CONF);

    assertThat(nixConf.getText()).isEqualTo(""
        + "substituters = https://nexus.example.com/repository/nix-group\n"
        + "trusted-public-keys = " + GROUP_KEY + " " + HOSTED_KEY + " " + CACHE_NIXOS_ORG_KEY + "\n"
        + "netrc-file = /etc/nix/netrc\n"
        + "fallback = true");
    assertThat(nixConf.getDescription()).contains("nix-group, a group that contains nix-hosted");
  }

  @Test
  void pushesGoToTheHostedRepositoryNotToTheUrlClientsSubstituteFrom() {
    Snippet push = snippets(hostedInAGroup().build()).get(Snippet.PUSH);

    assertThat(push.getText()).isEqualTo("nix copy --to https://nexus.example.com/repository/nix-hosted "
        + "/nix/store/<hash>-<name>");
    assertThat(push.getDescription()).contains("NixOS/nix#16175").contains("substitute from nix-group");
  }

  @Test
  void theNetrcLineNamesTheUserAndHoldsAPlaceholderNeverAPassword() {
    Snippet netrc = snippets(hostedInAGroup().build()).get(Snippet.NETRC);

    assertThat(netrc.getText()).isEqualTo("machine nexus.example.com login alice password <password>");
    assertThat(netrc.getTitle()).isEqualTo("netrc (/etc/nix/netrc)");
  }

  @Test
  void someoneNotSignedInGetsAPlaceholderLogin() {
    Snippet netrc = snippets(hostedInAGroup().login(null).build()).get(Snippet.NETRC);

    assertThat(netrc.getText()).isEqualTo("machine nexus.example.com login <user> password <password>");
  }

  @Test
  void anotherNetrcFileIsNamedInNixConfAndTheNetrcTitle() {
    Map<String, Snippet> snippets = snippets(hostedInAGroup().netrcFile("/home/me/run/netrc").build());

    assertThat(snippets.get(Snippet.NIX_CONF).getText()).contains("netrc-file = /home/me/run/netrc\n");
    assertThat(snippets.get(Snippet.NETRC).getTitle()).isEqualTo("netrc (/home/me/run/netrc)");
  }

  @Test
  void channelsAndTheFlakeRegistryAreReadFromTheSubstituter() {
    Map<String, Snippet> snippets = snippets(hostedInAGroup().build());

    assertThat(snippets.get(Snippet.CHANNEL).getText()).isEqualTo(""
        + "nix-channel --add https://nexus.example.com/repository/nix-group/channels/<channel> <name>\n"
        + "nix-channel --update");
    assertThat(snippets.get(Snippet.FLAKE_REGISTRY).getText())
        .isEqualTo("flake-registry = https://nexus.example.com/repository/nix-group/flake-registry.json");
  }

  @Test
  void aHostedRepositoryInNoGroupIsSubstitutedDirectlyAndThePushSaysWhatThatCosts() {
    ClientSetup setup = hostedInAGroup()
        .substituter("nix-hosted", BASE + "/repository/nix-hosted")
        .build();

    assertThat(snippets(setup).get(Snippet.NIX_CONF).getText())
        .startsWith("substituters = https://nexus.example.com/repository/nix-hosted\n");
    assertThat(snippets(setup).get(Snippet.PUSH).getDescription())
        .contains("refuses its own pushes for 30 days").contains("substitute from a group that contains nix-hosted");
  }

  @Test
  void aProxyTakesNoPushesAndLeavesOutWhatItDoesNotServe() {
    ClientSetup setup = ClientSetup.builder()
        .repository("nix-proxy", "proxy")
        .substituter("nix-proxy", BASE + "/repository/nix-proxy")
        .trust(List.of(CACHE_NIXOS_ORG_KEY))
        .host("nexus.example.com")
        .channels(false)
        .flakeRegistry(false)
        .build();

    assertThat(setup.getSnippets()).extracting(Snippet::getId).containsExactly(Snippet.NIX_CONF, Snippet.NETRC);
    assertThat(setup.getPushUrl()).isNull();
  }

  @Test
  void withoutKeysNixConfHasNoTrustedPublicKeysLine() {
    ClientSetup setup = ClientSetup.builder()
        .repository("unsigned", "hosted")
        .substituter("unsigned", BASE + "/repository/unsigned")
        .host("nexus.example.com")
        .build();

    assertThat(snippets(setup).get(Snippet.NIX_CONF).getText()).doesNotContain("trusted-public-keys");
  }

  @Test
  void aKeyTrustedTwiceIsListedOnceInItsFirstPlace() {
    ClientSetup setup = hostedInAGroup().trust(List.of(HOSTED_KEY, GROUP_KEY)).build();

    assertThat(setup.getTrustedPublicKeys()).containsExactly(GROUP_KEY, HOSTED_KEY, CACHE_NIXOS_ORG_KEY);
  }

  @Test
  void snippetsAreChosenByIdInTheOrderAsked() {
    List<Snippet> chosen = hostedInAGroup().build().getSnippets(List.of("push", "nixConf", "unknown", "push"));

    assertThat(chosen).extracting(Snippet::getId).containsExactly(Snippet.PUSH, Snippet.NIX_CONF);
  }
}
