package org.sonatype.nexus.repository.nix.it.channels;

import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.ChannelsUpstream;
import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One URL for a team's own channels and the official ones: a nix-group over a nix-hosted (writable) and a
 * nix-proxy of channels, asked in member order, answering with the group's own URLs.
 */
class ChannelsGroupIT
{
  private static NexusServer nexus;

  private static String password;

  private static RawHttp admin;

  private static ChannelsUpstream upstream;

  private static String hosted;

  private static String group;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    NexusRest rest = nexus.rest();
    password = nexus.adminPassword();
    admin = RawHttp.basic("admin", password);

    upstream = ChannelsUpstream.start();
    upstream.publish("nixos-99.99", "nixos/99.99", "nixos-99.99.7.aaaaaaa",
        ChannelTarball.withHello("nixos-99.99.7.aaaaaaa", "official"));

    String hostedName = Names.unique("team-hosted");
    hosted = rest.createNixHosted(hostedName);
    String proxyName = Names.unique("official-proxy");
    rest.createNixProxy(proxyName, "http://127.0.0.1:9", Map.of("channelsUrl", upstream.url()));
    String groupName = Names.unique("all-channels");
    group = rest.createNixGroup(groupName, List.of(hostedName, proxyName), Map.of("writableMember", hostedName));
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void deploysThroughTheGroupLandInTheWritableMember() {
    Curl.Result deployed = Curl.run("-u", "admin:" + password, "-T",
        ChannelTarball.withHello("d", "team-1").toString(), group + "/channels/team/nixpkgs/team-1");

    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
    assertThat(admin.get(hosted + "/channels/team").header("Location"))
        .isEqualTo(hosted + "/channels/team/nixpkgs/team-1");
  }

  @Test
  void eachChannelComesFromTheFirstMemberThatKnowsItUnderTheGroupsUrl() {
    Curl.run("-u", "admin:" + password, "-T", ChannelTarball.withHello("d", "team-2").toString(),
        hosted + "/channels/mine/nixpkgs/mine-2");

    assertThat(admin.get(group + "/channels/mine").header("Location"))
        .isEqualTo(group + "/channels/mine/nixpkgs/mine-2");
    assertThat(admin.get(group + "/channels/nixos-99.99").header("Location"))
        .isEqualTo(group + "/channels/nixos-99.99/nixos/nixos-99.99.7.aaaaaaa");
    assertThat(admin.get(group + "/channels/nixos-99.99/nixexprs.tar.xz").header("Link"))
        .isEqualTo("<" + group + "/channels/nixos-99.99/nixos/nixos-99.99.7.aaaaaaa/nixexprs.tar.xz>; "
            + "rel=\"immutable\"");
    assertThat(admin.get(group + "/channels/").bodyText()).contains("/channels/mine/", "/channels/nixos-99.99/");
    assertThat(admin.get(group + "/channels/neither").status()).isEqualTo(404);
  }

  @Test
  void nixChannelSubscribesToBothThroughTheGroup() {
    Curl.run("-u", "admin:" + password, "-T", ChannelTarball.withHello("d", "ours").toString(),
        hosted + "/channels/ours/nixpkgs/ours-1");
    NixClient nix = NixClient.builder()
        .name("group-subscriber")
        .netrc("127.0.0.1", "admin", password)
        .option("tarball-ttl", "0")
        .ownChannelsProfile()
        .build();

    nix.run("nix-channel", "--add", group + "/channels/ours", "ours").assertSuccess();
    nix.run("nix-channel", "--add", group + "/channels/nixos-99.99", "nixos").assertSuccess();
    nix.run("nix-channel", "--update").assertSuccess();

    for (String[] expected : new String[][]{{"ours", "\"ours\""}, {"nixos", "\"official\""}}) {
      String value = nix.run("nix-instantiate", "--eval", "-E", "(import <" + expected[0] + "> {}).hello",
          "-I", expected[0] + "=" + nix.channelPath(expected[0])).assertSuccess().stdout().trim();
      assertThat(value).isEqualTo(expected[1]);
    }
  }
}
