package org.sonatype.nexus.repository.nix.it.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.sonatype.nexus.repository.nix.it.hardening.TarballMutations.Case;
import org.sonatype.nexus.repository.nix.it.hardening.TarballMutations.Expect;
import org.sonatype.nexus.repository.nix.it.hardening.TarballMutations.Kind;
import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.NixFlakes;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.Soak;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Close to 600 channel snapshots and 600 flake tarballs generated from valid ones by {@link TarballMutations}
 * (damaged and truncated compressed streams, the wrong compression, bodies that are no tarball, truncated tar,
 * corrupt headers and header fields, layouts Nix or the repository's rules refuse, names no file system takes,
 * decompression bombs), each deployed to a snapshot or flake of its own:
 * <ul>
 * <li>every broken one is refused with a 4xx and a message, never a 5xx, and leaves nothing behind: its snapshot or
 * version answers 404 and the repository holds no asset for it;</li>
 * <li>bombs (a few hundred KiB that hold or declare gigabytes) are answered within {@link #BOMB_ANSWER} and Nexus
 * does not run out of memory;</li>
 * <li>valid edge cases (no end-of-archive marker, long names, symlinks pointing anywhere, ...) are accepted, and so
 * may be the few damaged streams no decoder notices (a bit flip in a gzip or zstd header field): those accepted are
 * served byte for byte and the real Nix unpacks them to a directory with {@code default.nix} / {@code flake.nix},
 * for flakes to the NAR hash the repository's registry publishes;</li>
 * <li>afterwards the repository still takes a valid snapshot or flake, and Nix consumes it.</li>
 * </ul>
 * Nothing fails at the first wrong answer: all are collected and listed. A soak run ({@code -Dnix.soak=true}) goes
 * through ten seeds (some 6,000 tarballs of each kind).
 */
class MalformedTarballsIT
{
  private static final long FIRST_SEED = 42;

  private static final int SEEDS = Soak.size(1, 10);

  /** Generous: the limits refuse every bomb here within a few seconds, while decompressing one would take minutes. */
  private static final Duration BOMB_ANSWER = Duration.ofSeconds(30);

  /** Accepted tarballs Nix unpacks (evenly spread over all accepted ones); every HTTP answer is checked regardless. */
  private static final int NIX_SAMPLE = Soak.size(40, 200);

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

  @Test
  void everyBrokenChannelSnapshotIsRefusedWithAMessageAndNothingIsStored() throws IOException {
    String name = Names.unique("tarball-mutations-channels");
    String repo = rest.createNixHosted(name);
    String channel = "mutants";
    Outcomes outcomes = new Outcomes(Kind.CHANNEL);
    long logStart = Files.size(nexus.logFile());

    for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      List<Case> cases = new TarballMutations(seed).generate(Kind.CHANNEL);
      for (int i = 0; i < cases.size(); i++) {
        String flavor = i % 2 == 0 ? "nixpkgs" : "nixos";
        String path = "channels/" + channel + "/" + flavor + "/s" + seed + "-" + i;
        // the documented deploy URL is the snapshot's; the tarball is served below it
        outcomes.upload(cases.get(i), repo + "/" + path, repo + "/" + path + "/nixexprs.tar.xz",
            "/" + path + "/nixexprs.tar.xz", List.of(repo + "/" + path));
      }
    }

    NixClient nix = NixClient.builder().name("tarball-mutations-channels").netrc("127.0.0.1", "admin", password)
        .build();
    for (Accepted accepted : outcomes.sample()) {
      // what -I name=<url> and fetchTarball do: unpack it, take its one top-level directory
      String expression = "let d = builtins.fetchTarball \"" + accepted.url() + "\"; in "
          + "{ files = builtins.attrNames (builtins.readDir d); value = builtins.typeOf (import d { }); }";
      NixClient.Result result = nix.run(List.of("nix-instantiate", "--eval", "--strict", "--json", "-E",
          expression), Duration.ofMinutes(2));
      if (!result.ok()) {
        outcomes.wrong(accepted.mutation(), "accepted, but Nix cannot unpack it: " + result);
        continue;
      }
      JsonNode unpacked = Json.parse(result.stdout());
      if (!unpacked.get("files").toString().contains("\"default.nix\"")
          || !unpacked.get("value").asText().equals("set"))
      {
        outcomes.wrong(accepted.mutation(), "accepted, but Nix unpacks it to " + unpacked);
      }
    }

    outcomes.report();
    outcomes.assertAllRight(assetPaths(name), logStart);

    // the repository is unharmed: a valid snapshot deploys and nix-channel's way of fetching it works
    String after = repo + "/channels/after-mutations/nixpkgs/after-1";
    assertThat(admin.put(after, "application/x-xz", Files.readAllBytes(ChannelTarball.withHello("after", "still-ok")))
        .status()).isEqualTo(201);
    assertThat(nix.run("nix-instantiate", "--eval", "-E", "(import <c> {}).hello",
        "-I", "c=" + repo + "/channels/after-mutations/nixexprs.tar.xz").assertSuccess().stdout().trim())
        .isEqualTo("\"still-ok\"");
  }

  @Test
  void everyBrokenFlakeTarballIsRefusedWithAMessageAndNothingIsStored() throws IOException {
    String name = Names.unique("tarball-mutations-flakes");
    String repo = rest.createNixHosted(name);
    Outcomes outcomes = new Outcomes(Kind.FLAKE);
    long logStart = Files.size(nexus.logFile());

    for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      List<Case> cases = new TarballMutations(seed).generate(Kind.FLAKE);
      for (int i = 0; i < cases.size(); i++) {
        Case mutation = cases.get(i);
        // a flake of its own per case, so that the registry lists each accepted one with its NAR hash
        String flake = "m" + seed + "-" + i;
        String path = "flakes/" + flake + "/1.0" + mutation.format().extension;
        outcomes.upload(mutation, repo + "/" + path, repo + "/" + path, "/" + path,
            List.of(repo + "/" + path, repo + "/flakes/" + flake + ".tar.gz"));
      }
    }

    Map<String, String> published = new LinkedHashMap<>();
    for (JsonNode entry : Json.parse(admin.get(repo + "/flake-registry.json").bodyText()).get("flakes")) {
      published.put(entry.get("from").get("id").asText(), entry.get("to").get("narHash").asText());
    }
    NixClient nix = NixClient.builder().name("tarball-mutations-flakes").netrc("127.0.0.1", "admin", password)
        .build();
    for (Accepted accepted : outcomes.sample()) {
      NixClient.Result result = NixFlakes.run(nix, null, "flake", "metadata", "--json", accepted.url());
      if (!result.ok()) {
        outcomes.wrong(accepted.mutation(), "accepted, but Nix cannot use it as a flake: " + result);
        continue;
      }
      JsonNode metadata = Json.parse(result.stdout());
      String narHash = metadata.get("locked").get("narHash").asText();
      String flake = accepted.url().replaceFirst(".*/flakes/([^/]+)/[^/]+$", "$1");
      if (!narHash.equals(published.get(flake))) {
        outcomes.wrong(accepted.mutation(), "Nix locks it by " + narHash + ", the registry publishes "
            + published.get(flake));
      }
      if (!metadata.has("path") || !Files.isRegularFile(Path.of(metadata.get("path").asText(), "flake.nix"))) {
        outcomes.wrong(accepted.mutation(), "accepted, but Nix unpacks it without a flake.nix: " + metadata);
      }
    }

    outcomes.report();
    outcomes.assertAllRight(assetPaths(name), logStart);

    // the repository is unharmed: a valid flake publishes and Nix builds it through the registry
    String flake = Names.unique("after-mutations");
    assertThat(admin.put(repo + "/flakes/" + flake + "/2.0.0.tar.gz", "application/gzip",
        Files.readAllBytes(FlakeTarball.writing(flake, "2.0.0", "still-ok"))).status()).isEqualTo(201);
    assertThat(NixFlakes.build(nix, repo + "/flake-registry.json", flake + "#default")).isEqualTo("still-ok");
  }

  /** One accepted tarball: what was sent, and where it is served. */
  private record Accepted(Case mutation, String url)
  {
  }

  /** What the repository answered, case by case, and what was wrong about it. */
  private static final class Outcomes
  {
    private final Kind kind;

    private final List<Case> cases = new ArrayList<>();

    private final Map<Integer, Integer> statuses = new TreeMap<>();

    private final Map<String, Integer> classified = new TreeMap<>();

    private final List<String> wrong = new ArrayList<>();

    private final List<Accepted> accepted = new ArrayList<>();

    /** Paths of the assets that must exist: every tarball answered 201, wrongly or not. */
    private final TreeSet<String> stored = new TreeSet<>();

    private Duration slowestBomb = Duration.ZERO;

    private Duration slowest = Duration.ZERO;

    private String slowestCase = "";

    private int nixChecked;

    Outcomes(final Kind kind) {
      this.kind = kind;
    }

    /**
     * PUTs one case and checks the answer: a refusal must be a 4xx with a message that leaves {@code gone} at 404;
     * an acceptance (201) must serve the bytes sent at {@code url}.
     */
    void upload(final Case mutation, final String putUrl, final String url, final String assetPath,
                final List<String> gone)
    {
      cases.add(mutation);
      long start = System.nanoTime();
      RawHttp.Response response = admin.put(putUrl, mutation.contentType(), mutation.body());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      int status = response.status();
      statuses.merge(status, 1, Integer::sum);
      if (took.compareTo(slowest) > 0) {
        slowest = took;
        slowestCase = mutation.toString();
      }
      if (mutation.bomb()) {
        slowestBomb = took.compareTo(slowestBomb) > 0 ? took : slowestBomb;
        if (took.compareTo(BOMB_ANSWER) > 0) {
          wrong(mutation, "a bomb answered only after " + seconds(took) + " (" + status + ")");
        }
      }
      String answer = status + " " + abbreviated(response.bodyText());
      if (status >= 400 && status < 500) {
        if (response.bodyText().isBlank()) {
          wrong(mutation, "refused without a message: " + answer);
        }
        if (mutation.expect() == Expect.ACCEPTED) {
          wrong(mutation, "a valid tarball was refused: " + answer);
        }
        if (mutation.expect() == Expect.CLASSIFY) {
          classified.merge("refused", 1, Integer::sum);
        }
        for (String other : gone) {
          int after = admin.get(other).status();
          if (after != 404) {
            wrong(mutation, "refused (" + answer + "), but " + other + " answers " + after + " afterwards");
          }
        }
      }
      else if (status == 201) {
        stored.add(assetPath);
        if (mutation.expect() == Expect.REFUSED) {
          wrong(mutation, "accepted, though broken by construction: " + answer);
          return;
        }
        if (mutation.expect() == Expect.CLASSIFY) {
          classified.merge("accepted", 1, Integer::sum);
        }
        RawHttp.Response served = admin.get(url);
        if (served.status() != 200 || !Arrays.equals(served.body(), mutation.body())) {
          wrong(mutation, "accepted, but " + url + " serves " + served.status() + " with "
              + served.body().length + " bytes instead of the " + mutation.body().length + " sent");
          return;
        }
        accepted.add(new Accepted(mutation, url));
      }
      else {
        // a 5xx, or anything but a refusal or a creation (each case has a name of its own: never 200 or 409)
        wrong(mutation, answer);
      }
    }

    void wrong(final Case mutation, final String what) {
      wrong.add(mutation + " -> " + what);
    }

    /** At most {@link #NIX_SAMPLE} accepted ones, evenly spread (all of them unless there are more). */
    List<Accepted> sample() {
      List<Accepted> sample = new ArrayList<>();
      int step = Math.max(1, (accepted.size() + NIX_SAMPLE - 1) / NIX_SAMPLE);
      for (int i = 0; i < accepted.size(); i += step) {
        sample.add(accepted.get(i));
      }
      nixChecked = sample.size();
      return sample;
    }

    void report() {
      Map<Expect, Integer> expected = new EnumMap<>(TarballMutations.countByExpectation(cases));
      String what = kind == Kind.CHANNEL ? "channel snapshots" : "flake tarballs";
      System.out.printf("[nexus-it] %d mutated %s (%d seed%s from %d): per family %s%n", cases.size(), what, SEEDS,
          SEEDS == 1 ? "" : "s", FIRST_SEED, TarballMutations.countByFamily(cases));
      System.out.printf("[nexus-it]   expected %s, classified ones %s; statuses %s; %d accepted, %d unpacked by "
              + "Nix; slowest answer %s (%s), slowest bomb %s%n", expected, classified, statuses, accepted.size(),
          nixChecked, seconds(slowest), slowestCase, seconds(slowestBomb));
    }

    void assertAllRight(final TreeSet<String> assets, final long logStart) throws IOException {
      TreeSet<String> unexpected = new TreeSet<>(assets);
      unexpected.removeAll(stored);
      TreeSet<String> missing = new TreeSet<>(stored);
      missing.removeAll(assets);
      String log = new String(Files.readAllBytes(nexus.logFile()), UTF_8);
      String newLog = log.substring((int) Math.min(logStart, log.length()));

      assertThat(wrong).as("%s cases answered wrongly", kind).isEmpty();
      assertThat(unexpected).as("assets of refused %s cases", kind).isEmpty();
      assertThat(missing).as("accepted %s cases without their asset", kind).isEmpty();
      assertThat(newLog).as("Nexus's log while the %s cases ran", kind).doesNotContain("OutOfMemoryError");
    }
  }

  /** Every asset path of a repository, through all pages of the assets API. */
  private static TreeSet<String> assetPaths(final String repository) {
    TreeSet<String> paths = new TreeSet<>();
    String token = null;
    do {
      JsonNode page = rest.get("/service/rest/v1/assets?repository=" + repository
          + (token != null ? "&continuationToken=" + token : "")).expect(200).json();
      for (JsonNode asset : page.get("items")) {
        paths.add(asset.get("path").asText().startsWith("/") ? asset.get("path").asText()
            : "/" + asset.get("path").asText());
      }
      token = page.get("continuationToken").isNull() ? null : page.get("continuationToken").asText();
    }
    while (token != null);
    return paths;
  }

  private static String abbreviated(final String text) {
    String line = text.trim().replace('\n', ' ');
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static String seconds(final Duration duration) {
    return String.format("%.2f s", duration.toMillis() / 1000.0);
  }
}
