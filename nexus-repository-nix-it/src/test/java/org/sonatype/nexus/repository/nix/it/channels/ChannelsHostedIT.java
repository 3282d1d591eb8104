package org.sonatype.nexus.repository.nix.it.channels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A team publishes its own channel to a nix-hosted repository: snapshots deployed with curl, subscribed to with the
 * real nix-channel (2.8), pinned, rolled back; the HTTP contract nix-channel and fetchTarball rely on.
 */
class ChannelsHostedIT
{
  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp admin;

  private static String password;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    password = nexus.adminPassword();
    admin = RawHttp.basic("admin", password);
  }

  private static NixClient channelClient(final String name) {
    return NixClient.builder()
        .name(name)
        .netrc("127.0.0.1", "admin", password)
        // the fetcher cache would otherwise answer the channel URL for an hour without asking (NixOS/nix#12409)
        .option("tarball-ttl", "0")
        .ownChannelsProfile()
        .build();
  }

  /** {@code nix-instantiate --eval} of {@code (import <name> {}).hello} in the client's channel. */
  private static String hello(final NixClient nix, final String channel) {
    return nix.run("nix-instantiate", "--eval", "-E", "with import <" + channel + "> {}; hello",
        "-I", channel + "=" + nix.channelPath(channel)).assertSuccess().stdout().trim();
  }

  private static Curl.Result deploy(final String url, final Path tarball) {
    return Curl.run("-u", "admin:" + password, "-T", tarball.toString(), url);
  }

  @Test
  void nixChannelFollowsTheLatestSnapshotAndPinsAnOlderOne() {
    String repo = rest.createNixHosted(Names.unique("channels"));
    String channel = Names.unique("team");
    String first = repo + "/channels/" + channel + "/nixpkgs/" + channel + "-1";
    String second = repo + "/channels/" + channel + "/nixpkgs/" + channel + "-2";

    // the documented command, both forms
    Curl.Result deployed = deploy(first, ChannelTarball.withHello("team-1", "world-1"));
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
    deployed = deploy(second + "/nixexprs.tar.xz", ChannelTarball.withHello("team-2", "world-2"));
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);

    NixClient subscriber = channelClient("subscriber");
    subscriber.run("nix-channel", "--add", repo + "/channels/" + channel, channel).assertSuccess();
    subscriber.run("nix-channel", "--update").assertSuccess();
    assertThat(hello(subscriber, channel)).isEqualTo("\"world-2\"");

    NixClient pinned = channelClient("pinned");
    pinned.run("nix-channel", "--add", first, channel).assertSuccess();
    pinned.run("nix-channel", "--update").assertSuccess();
    assertThat(hello(pinned, channel)).isEqualTo("\"world-1\"");
  }

  @Test
  void nixChannelRollbackReturnsToTheSnapshotOfThePreviousUpdate() {
    String repo = rest.createNixHosted(Names.unique("channels"));
    String channel = Names.unique("team");
    String base = repo + "/channels/" + channel + "/nixpkgs/" + channel;
    Curl.Result deployed = deploy(base + "-1", ChannelTarball.withHello("team-1", "world-1"));
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);

    NixClient nix = channelClient("rollback");
    nix.run("nix-channel", "--add", repo + "/channels/" + channel, channel).assertSuccess();
    nix.run("nix-channel", "--update").assertSuccess();
    assertThat(hello(nix, channel)).isEqualTo("\"world-1\"");

    deployed = deploy(base + "-2", ChannelTarball.withHello("team-2", "world-2"));
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
    nix.run("nix-channel", "--update").assertSuccess();
    assertThat(hello(nix, channel)).isEqualTo("\"world-2\"");

    // the client's own profile generation goes back; the repository still has (and serves) both snapshots
    nix.run("nix-channel", "--rollback").assertSuccess();
    assertThat(hello(nix, channel)).isEqualTo("\"world-1\"");
    assertThat(admin.get(repo + "/channels/" + channel).header("Location")).isEqualTo(base + "-2");
  }

  @Test
  void aChannelRedirectsToItsLatestSnapshotWhichAnswers200() {
    String repo = rest.createNixHosted(Names.unique("channels"));
    String channel = Names.unique("team");
    deploy(repo + "/channels/" + channel + "/nixpkgs/v1", ChannelTarball.withHello("d", "1"));
    deploy(repo + "/channels/" + channel + "/nixpkgs/v2", ChannelTarball.withHello("d", "2"));

    RawHttp.Response pointer = admin.get(repo + "/channels/" + channel);
    assertThat(pointer.status()).isEqualTo(302);
    // no trailing slash: nix-channel appends "/nixexprs.tar.xz" to it
    assertThat(pointer.header("Location")).isEqualTo(repo + "/channels/" + channel + "/nixpkgs/v2");
    assertThat(pointer.header("ETag")).isNull();

    RawHttp.Response snapshot = admin.get(pointer.header("Location"));
    assertThat(snapshot.status()).isEqualTo(200);
    assertThat(snapshot.header("Content-Type")).startsWith("text/html");
    assertThat(snapshot.bodyText()).contains(repo + "/channels/" + channel + "/nixpkgs/v2/nixexprs.tar.xz");

    // listings, newest first
    String listing = admin.get(repo + "/channels/" + channel + "/").bodyText();
    assertThat(listing.indexOf("/nixpkgs/v2\"")).isPositive().isLessThan(listing.indexOf("/nixpkgs/v1\""));
    assertThat(admin.get(repo + "/channels/").bodyText()).contains(repo + "/channels/" + channel + "/\"");
  }

  @Test
  void theTarballHasAStrongEtagAnswers304AndIsNeverContentEncoded() throws Exception {
    String repo = rest.createNixHosted(Names.unique("channels"));
    Path tarball = ChannelTarball.withHello("d", "etag");
    String url = repo + "/channels/etag/nixos/etag-1/nixexprs.tar.xz";
    deploy(url, tarball);

    RawHttp.Response response = admin.get(url, Map.of("Accept-Encoding", "gzip, deflate, br"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(Files.readAllBytes(tarball));
    assertThat(response.header("Content-Encoding")).isNull();
    assertThat(response.header("Content-Type")).isEqualTo("application/x-xz");
    String etag = response.header("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"");

    assertThat(admin.get(url, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
    // Nix sends If-None-Match to the first URL of a redirect chain too: the moving pointer must still redirect
    assertThat(admin.get(repo + "/channels/etag/nixexprs.tar.xz", Map.of("If-None-Match", etag)).status())
        .isEqualTo(302);
    // what nix-channel and Nix 2.8 send: "//" after a redirect target ending in "/", "?narHash=" on tarballs
    assertThat(admin.get(repo + "/channels/etag/nixos/etag-1//nixexprs.tar.xz?narHash=sha256-x").body())
        .isEqualTo(Files.readAllBytes(tarball));
    assertThat(admin.get(repo + "/channels/etag?rev=abc").header("Location"))
        .isEqualTo(repo + "/channels/etag/nixos/etag-1");
  }

  @Test
  void theChannelsTarballRedirectsWithAnImmutableLinkAndWorksAsANixPathEntry() {
    String repo = rest.createNixHosted(Names.unique("channels"));
    String channel = Names.unique("flake");
    deploy(repo + "/channels/" + channel + "/nixpkgs/s1", ChannelTarball.withHello("src", "tarball-1"));

    RawHttp.Response response = admin.get(repo + "/channels/" + channel + "/nixexprs.tar.xz");
    String immutable = repo + "/channels/" + channel + "/nixpkgs/s1/nixexprs.tar.xz";
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("Location")).isEqualTo(immutable);
    // the whole value must match Nix's regex <([^>]*)>; rel="immutable"
    assertThat(response.header("Link")).isEqualTo("<" + immutable + ">; rel=\"immutable\"");

    // -I name=<url>: fetchTarball through the redirect (NIX_PATH cannot carry a URL with a port in Nix 2.8)
    NixClient nix = channelClient("nix-path");
    String value = nix.run("nix-instantiate", "--eval", "-E", "(import <c> {}).hello",
        "-I", "c=" + repo + "/channels/" + channel + "/nixexprs.tar.xz").assertSuccess().stdout().trim();
    assertThat(value).isEqualTo("\"tarball-1\"");
  }

  @Test
  void eachFlavorHasItsOwnLatest() {
    String repo = rest.createNixHosted(Names.unique("channels"));
    deploy(repo + "/channels/both/nixos/os-1", ChannelTarball.withHello("d", "os"));
    deploy(repo + "/channels/both/nixpkgs/pkgs-1", ChannelTarball.withHello("d", "pkgs"));

    assertThat(admin.get(repo + "/channels/both").header("Location")).isEqualTo(repo + "/channels/both/nixpkgs/pkgs-1");
    assertThat(admin.get(repo + "/channels/both/nixos").header("Location"))
        .isEqualTo(repo + "/channels/both/nixos/os-1");
    assertThat(admin.get(repo + "/channels/both/nixos/nixexprs.tar.xz").header("Location"))
        .isEqualTo(repo + "/channels/both/nixos/os-1/nixexprs.tar.xz");
    assertThat(admin.get(repo + "/channels/both/nixos/").bodyText()).contains("os-1").doesNotContain("pkgs-1");
    assertThat(admin.get(repo + "/channels/none").status()).isEqualTo(404);
  }

  @Test
  void snapshotsAreImmutableUnlessTheWritePolicyAllowsRedeploy() {
    String repo = rest.createNixHosted(Names.unique("channels"));
    Path original = ChannelTarball.withHello("d", "original");
    String url = repo + "/channels/fixed/nixpkgs/fixed-1";
    assertThat(deploy(url, original).status()).isEqualTo(201);

    Curl.Result again = deploy(url, original);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.body()).contains("unchanged");

    Curl.Result other = deploy(url, ChannelTarball.withHello("d", "other"));
    assertThat(other.status()).as(other.toString()).isEqualTo(409);
    assertThat(other.body()).contains("snapshots are immutable");
    assertThat(admin.get(url + "/nixexprs.tar.xz").body()).isEqualTo(read(original));

    String allow = rest.createNixHosted(Names.unique("channels-allow"), Map.of(), "allow");
    deploy(allow + "/channels/moving/nixpkgs/m-1", original);
    Path replacement = ChannelTarball.withHello("d", "replacement");
    Curl.Result redeployed = deploy(allow + "/channels/moving/nixpkgs/m-1", replacement);
    assertThat(redeployed.status()).as(redeployed.toString()).isEqualTo(200);
    assertThat(admin.get(allow + "/channels/moving/nixpkgs/m-1/nixexprs.tar.xz").body()).isEqualTo(read(replacement));
  }

  @Test
  void deletingTheLatestSnapshotMakesThePreviousOneLatestAndNeedsDeletePermission() {
    String name = Names.unique("channels");
    String repo = rest.createNixHosted(name);
    deploy(repo + "/channels/roll/nixpkgs/r1", ChannelTarball.withHello("d", "1"));
    deploy(repo + "/channels/roll/nixpkgs/r2", ChannelTarball.withHello("d", "2"));

    String role = Names.unique("publisher");
    String user = Names.unique("publisher");
    rest.createRole(role, "nx-repository-view-nix-" + name + "-read", "nx-repository-view-nix-" + name + "-edit");
    rest.createUser(user, "pw-" + user, role);
    RawHttp publisher = RawHttp.basic(user, "pw-" + user);
    assertThat(publisher.delete(repo + "/channels/roll/nixpkgs/r2").status()).isEqualTo(403);
    assertThat(Curl.run("-u", user + ":pw-" + user, "-T", ChannelTarball.withHello("d", "3").toString(),
        repo + "/channels/roll/nixpkgs/r3").status()).isEqualTo(201);
    assertThat(admin.get(repo + "/channels/roll").header("Location")).isEqualTo(repo + "/channels/roll/nixpkgs/r3");

    assertThat(admin.delete(repo + "/channels/roll/nixpkgs/r3").status()).isEqualTo(204);
    assertThat(admin.get(repo + "/channels/roll").header("Location")).isEqualTo(repo + "/channels/roll/nixpkgs/r2");
    assertThat(admin.get(repo + "/channels/roll/nixpkgs/r3").status()).isEqualTo(404);
    assertThat(admin.delete(repo + "/channels/roll/nixpkgs/r3").status()).isEqualTo(404);
  }

  @Test
  void eachSnapshotIsASearchableComponent() {
    String name = Names.unique("channels");
    String repo = rest.createNixHosted(name);
    String channel = Names.unique("searchable");
    deploy(repo + "/channels/" + channel + "/nixos/" + channel + "-1", ChannelTarball.withHello("d", "1"));
    deploy(repo + "/channels/" + channel + "/nixos/" + channel + "-2", ChannelTarball.withHello("d", "2"));

    JsonNode found = rest.searchUntil(Map.of("repository", name, "name", channel),
        answer -> answer.get("items").size() == 2, Duration.ofSeconds(30));
    for (JsonNode component : found.get("items")) {
      assertThat(component.get("group").asText()).isEqualTo("channels");
      assertThat(component.get("version").asText()).startsWith(channel + "-");
      assertThat(component.get("assets").get(0).get("path").asText())
          .isEqualTo("/channels/" + channel + "/nixos/" + component.get("version").asText() + "/nixexprs.tar.xz");
    }
  }

  @Test
  void theComponentsApiUploadsASnapshot() {
    String name = Names.unique("channels");
    String repo = rest.createNixHosted(name);
    JsonNode spec = rest.get("/service/rest/v1/formats/nix/upload-specs").expect(200).json();
    assertThat(spec.get("componentFields").findValuesAsText("name")).contains("channel", "flavor", "snapshot");

    Path tarball = ChannelTarball.withHello("d", "uploaded");
    Curl.Result uploaded = Curl.run("-u", "admin:" + password,
        "-F", "nix.channel=ui", "-F", "nix.flavor=nixpkgs", "-F", "nix.snapshot=ui-1",
        "-F", "nix.asset=@" + tarball, nexus.baseUrl() + "/service/rest/v1/components?repository=" + name);
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(204);
    assertThat(admin.get(repo + "/channels/ui").header("Location")).isEqualTo(repo + "/channels/ui/nixpkgs/ui-1");
    assertThat(admin.get(repo + "/channels/ui/nixpkgs/ui-1/nixexprs.tar.xz").body()).isEqualTo(read(tarball));

    Curl.Result incomplete = Curl.run("-u", "admin:" + password, "-F", "nix.channel=ui", "-F", "nix.snapshot=ui-2",
        "-F", "nix.asset=@" + tarball, nexus.baseUrl() + "/service/rest/v1/components?repository=" + name);
    assertThat(incomplete.status()).as(incomplete.toString()).isEqualTo(400);
    assertThat(incomplete.body()).contains("Flavor");
  }

  private static byte[] read(final Path file) {
    try {
      return Files.readAllBytes(file);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
