package org.sonatype.nexus.repository.nix.it.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.sonatype.nexus.repository.nix.it.hardening.TarballMutations.Format;
import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.ChannelsUpstream;
import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 15's attack, at Nexus's IT heap (1 GiB): eight deployers upload tarball bombs at once, by every way in (curl
 * -T to a hosted repository, the Components API, a group's writable member) while a proxy fetches a bombed channel
 * from its upstream. Three rounds: the bomb of the issue (pax names of ~1 MB, {@code top/x/a/a/a/...}, under 1 KiB
 * compressed), streams whose decoder asks for its largest memory (128 MiB each), and archives that fill the tree of
 * names to its limits. Every one is refused with a 4xx naming what was wrong (the proxy a 502) within
 * {@link #ANSWER}, nothing is stored, Nexus goes on answering (a valid snapshot deploys and is served), and its log
 * has no {@code OutOfMemoryError}.
 */
class ParallelBombsIT
{
  private static final int PARALLEL = 8;

  /** Generous for a loaded machine: each bomb alone is refused in well under a second. */
  private static final Duration ANSWER = Duration.ofSeconds(90);

  private static NexusServer nexus;

  private static NexusRest rest;

  private static String password;

  private static final String CHANNEL_TOP = "team-1";

  private static final TarballBombs CHANNEL = new TarballBombs(CHANNEL_TOP, "default.nix", "{ ... }: { }\n");

  private static final TarballBombs FLAKE = new TarballBombs("tool-1.0", "flake.nix",
      FlakeTarball.flakeNix("tool", "1.0", "bomb"));

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    password = nexus.adminPassword();
  }

  @Test
  void eightParallelBombsAreRefusedNothingIsStoredAndNexusServesOn() throws Exception {
    long logStart = Files.size(nexus.logFile());
    String hosted = Names.unique("bombs-hosted");
    String hostedUrl = rest.createNixHosted(hosted);
    String member = Names.unique("bombs-member");
    rest.createNixHosted(member);
    String group = Names.unique("bombs-group");
    String groupUrl = rest.createNixGroup(group, List.of(member), Map.of("writableMember", member));
    List<String> wrong = new ArrayList<>();

    try (ChannelsUpstream upstream = ChannelsUpstream.start()) {
      String proxy = Names.unique("bombs-proxy");
      Map<String, Object> request = NexusRest.nixProxyRequest(proxy, "http://127.0.0.1:9",
          Map.of("channelsUrl", upstream.url()));
      rest.post("/service/rest/v1/repositories/nix/proxy", request).expect(201);
      String proxyUrl = rest.repositoryUrl(proxy);

      // round 1: the bomb of the issue, by every way in, and from a proxy's upstream
      byte[] channelBomb = TarballMutations.xz(CHANNEL.megabyteDeepNames());
      byte[] flakeBombXz = TarballMutations.xz(FLAKE.megabyteDeepNames());
      byte[] flakeBombZst = TarballMutations.zstd(FLAKE.megabyteDeepNames());
      assertThat(channelBomb.length).isLessThan(1024);
      upstream.publish("nixos-66.66", "nixos/66.66", "nixos-66.66.1.aaaaaaa", file(channelBomb, ".tar.xz"));
      // the proxy learns the snapshot; its tarball is fetched (and checked) when it is asked for, in the round
      assertThat(RawHttp.basic("admin", password).get(proxyUrl + "/channels/nixos-66.66").status()).isEqualTo(302);
      String headers = "more than 64 KiB of headers (long names, pax headers) for one entry";
      List<Upload> round = List.of(
          Upload.curl(hostedUrl + "/channels/c1/nixpkgs/s1", channelBomb, ".tar.xz"),
          Upload.curl(hostedUrl + "/channels/c2/nixpkgs/s1/nixexprs.tar.xz", channelBomb, ".tar.xz"),
          Upload.curl(hostedUrl + "/flakes/f1/1.0.tar.xz", flakeBombXz, ".tar.xz"),
          Upload.curl(hostedUrl + "/flakes/f2/1.0.tar.zst", flakeBombZst, ".tar.zst"),
          Upload.componentsApi(hosted, channelBomb, ".tar.xz", "nix.channel=c3", "nix.flavor=nixpkgs",
              "nix.snapshot=s1"),
          Upload.componentsApi(hosted, flakeBombZst, ".tar.zst", "nix.name=f3", "nix.version=1.0"),
          Upload.curl(groupUrl + "/channels/c4/nixpkgs/s1", channelBomb, ".tar.xz"),
          Upload.curl(groupUrl + "/flakes/f4/1.0.tar.xz", flakeBombXz, ".tar.xz"),
          Upload.proxied(proxyUrl + "/channels/nixos-66.66/nixos/nixos-66.66.1.aaaaaaa/nixexprs.tar.xz"));
      assertThat(round.stream().filter(u -> !u.proxied()).count()).isEqualTo(PARALLEL);
      runAtOnce("the issue's bomb", round, headers, wrong);

      // round 2: decoders asking for their largest memory, eight at once (a gigabyte without a shared budget)
      byte[] xzMemory = TarballBombs.xzWithDictionaryOf128MiB(TarballBombs.notATarball());
      byte[] zstdMemory = TarballBombs.zstdWithWindowOf128MiB(TarballBombs.notATarball());
      round = new ArrayList<>();
      for (int i = 0; i < PARALLEL; i++) {
        round.add(i % 2 == 0
            ? Upload.curl(hostedUrl + "/channels/m" + i + "/nixpkgs/s1", xzMemory, ".tar.xz")
            : Upload.curl(hostedUrl + "/flakes/m" + i + "/1.0.tar.zst", zstdMemory, ".tar.zst"));
      }
      runAtOnce("128 MiB decoders", round, "not a tar archive", wrong);

      // round 3: archives that fill the tree of names to its limits
      byte[] nodes = TarballMutations.xz(CHANNEL.impliedDirectories());
      byte[] names = TarballMutations.xz(CHANNEL.longSymlinkTargets());
      round = new ArrayList<>();
      for (int i = 0; i < PARALLEL; i++) {
        round.add(i % 2 == 0
            ? Upload.curl(hostedUrl + "/channels/t" + i + "/nixpkgs/s1", nodes, ".tar.xz")
                .because("unpacks to more than 250000 files, directories and links")
            : Upload.curl(hostedUrl + "/channels/t" + i + "/nixpkgs/s1", names, ".tar.xz")
                .because("names and symlink targets take more than 8 MiB"));
      }
      runAtOnce("full trees", round, null, wrong);

      assertThat(wrong).as("answers that were not a refusal naming the limit").isEmpty();
      for (String repository : List.of(hosted, member, group)) {
        assertThat(rest.get("/service/rest/v1/assets?repository=" + repository).expect(200).json().get("items"))
            .as("assets of %s", repository).isEmpty();
      }
      // the proxy keeps the channel's pointer, never the tarball
      assertThat(rest.get("/service/rest/v1/assets?repository=" + proxy).expect(200).body())
          .doesNotContain("nixexprs.tar.xz");
    }

    // Nexus serves on: REST, and a valid snapshot deployed and served
    assertThat(rest.get("/service/rest/v1/status/writable").status()).isEqualTo(200);
    RawHttp admin = RawHttp.basic("admin", password);
    Path valid = ChannelTarball.withHello("after-bombs", "still-ok");
    Curl.Result deployed = Curl.run("-u", "admin:" + password, "-T", valid.toString(),
        hostedUrl + "/channels/after/nixpkgs/after-1");
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
    RawHttp.Response served = admin.get(hostedUrl + "/channels/after/nixpkgs/after-1/nixexprs.tar.xz");
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(Files.readAllBytes(valid));

    String log = new String(Files.readAllBytes(nexus.logFile()), UTF_8);
    assertThat(log.substring((int) Math.min(logStart, log.length())))
        .as("Nexus's log while the bombs were refused").doesNotContain("OutOfMemoryError");
  }

  /**
   * Sends every upload of a round at once; collects what was not a timely refusal with {@code reason} (or the
   * upload's own).
   */
  private static void runAtOnce(final String what, final List<Upload> round, final String reason,
                                final List<String> wrong) throws Exception
  {
    ExecutorService pool = Executors.newFixedThreadPool(round.size());
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (Upload upload : round) {
        answers.add(pool.submit((Callable<String>) () -> {
          long start = System.nanoTime();
          Curl.Result result = upload.send();
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          int expected = upload.proxied() ? 502 : 400;
          String problem = null;
          String because = upload.reason() != null ? upload.reason() : reason;
          if (result.status() != expected || !result.body().contains(because)) {
            problem = "answered " + result.status() + " (" + abbreviated(result.body()) + ")";
          }
          else if (took.compareTo(ANSWER) > 0) {
            problem = "answered only after " + took.toSeconds() + " s";
          }
          System.out.printf("[nexus-it] %s: %s -> %d in %d ms%n", what, upload.target(), result.status(),
              took.toMillis());
          return problem == null ? null : what + ": " + upload.target() + " " + problem;
        }));
      }
      for (Future<String> answer : answers) {
        String problem = answer.get(5, TimeUnit.MINUTES);
        if (problem != null) {
          wrong.add(problem);
        }
      }
    }
    finally {
      pool.shutdownNow();
    }
  }

  /** One request of a round: an upload (curl -T, or the Components API), or a GET through a proxy. */
  private record Upload(String target, List<String> curlArguments, boolean proxied, String reason)
  {
    Upload(final String target, final List<String> curlArguments, final boolean proxied) {
      this(target, curlArguments, proxied, null);
    }

    /** The refusal must say this, whatever the round expects. */
    Upload because(final String why) {
      return new Upload(target, curlArguments, proxied, why);
    }

    static Upload curl(final String url, final byte[] body, final String extension) throws IOException {
      return new Upload(url, List.of("-u", "admin:" + password, "-T", file(body, extension).toString(), url), false);
    }

    static Upload componentsApi(final String repository, final byte[] body, final String extension,
                                final String... fields) throws IOException
    {
      List<String> arguments = new ArrayList<>(List.of("-u", "admin:" + password));
      for (String field : fields) {
        arguments.addAll(List.of("-F", field));
      }
      arguments.addAll(List.of("-F", "nix.asset=@" + file(body, extension),
          nexus.baseUrl() + "/service/rest/v1/components?repository=" + repository));
      return new Upload("Components API of " + repository + " " + String.join(" ", fields), arguments, false);
    }

    static Upload proxied(final String url) {
      return new Upload(url, List.of("-u", "admin:" + password, url), true);
    }

    Curl.Result send() {
      return Curl.run(curlArguments.toArray(new String[0]));
    }
  }

  private static Path file(final byte[] body, final String extension) throws IOException {
    Path file = ItDirs.newTempDir("bomb").resolve("bomb" + extension);
    Files.write(file, body);
    return file;
  }

  private static String abbreviated(final String text) {
    String line = text.trim().replace('\n', ' ');
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
