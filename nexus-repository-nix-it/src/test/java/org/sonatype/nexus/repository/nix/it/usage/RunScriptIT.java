package org.sonatype.nexus.repository.nix.it.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NixClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's first command, as a new user runs it: a fresh {@code ./src/run.sh} (its own data directory and port,
 * next to the suite's Nexus, with the kar this build made) prints a netrc and nix.conf lines that, pasted as they
 * are, let the real Nix push to nix-hosted and substitute from nix-group with {@code require-sigs} on. The output
 * has no terminal escape codes and says only what the script did; the admin can sign in to the UI with the printed
 * password without Nexus's setup wizard replacing it; a restart with unchanged sources does not build the plugin
 * again. The script's Nexus is stopped at the end (and by a watchdog if this JVM dies first).
 */
@TestMethodOrder(OrderAnnotation.class)
class RunScriptIT
{
  private static final Path ROOT = Paths.get(System.getProperty("user.dir")).getParent();

  private static final Path RUN_SH = ROOT.resolve("src/run.sh");

  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

  private static Path runDir;

  private static int port;

  private static Path kar;

  private static Process watchdog;

  /** What the first run printed. */
  private static String firstOutput;

  @BeforeAll
  static void freshRunDirectory() throws IOException {
    String karProperty = System.getProperty("nexus.it.kar", "").trim();
    assumeTrue(!karProperty.isEmpty() && !karProperty.equals("none"), "needs the plugin kar");
    kar = Paths.get(karProperty).toAbsolutePath();
    assertThat(RUN_SH).isExecutable();
    runDir = ItDirs.newTempDir("run-sh");
    // the base template the suite's Nexus came from, where run.sh looks first: no download, no second copy
    Path zip = Paths.get(System.getProperty("nexus.it.baseTemplateZip")).toAbsolutePath();
    Files.createSymbolicLink(runDir.resolve("nexus-base-template-3.71.0-06.zip"), zip);
    port = freePort();
    watchdog = startWatchdog();
  }

  @AfterAll
  static void stopTheScriptsNexus() {
    if (runDir == null) {
      return;
    }
    try {
      Result stop = runSh("stop");
      assertThat(stop.exitCode).as(stop.output).isZero();
      assertThat(runningPid()).as("the script's Nexus after run.sh stop").isEmpty();
    }
    finally {
      watchdog.destroy();
    }
  }

  @Test
  @Order(1)
  void theConfigAFreshRunPrintsWorksPastedAsItIs() throws IOException {
    Result run = runSh("start");
    firstOutput = run.output;

    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output).as("terminal escape codes").doesNotContain("\u001b");
    List<String> netrcLines = block(run.output, "# netrc (");
    List<String> nixConf = block(run.output, "# nix.conf");
    String push = block(run.output, "# Push (nix copy)").get(0);

    // the netrc the nix.conf names is there, private, and holds what was printed
    Path netrc = Paths.get(value(nixConf, "netrc-file"));
    assertThat(Files.readAllLines(netrc)).isEqualTo(netrcLines);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(netrc))).isEqualTo("rw-------");
    assertThat(value(nixConf, "substituters")).isEqualTo("http://localhost:" + port + "/repository/nix-group");
    assertThat(push).startsWith("nix copy --to http://localhost:" + port + "/repository/nix-hosted ");

    // pasted as is: the printed lines after the machine's own (no build users, no sandbox), nothing else
    NixClient.Builder builder = NixClient.builder().name("run-sh");
    nixConf.forEach(builder::configLine);
    NixClient nix = builder.build();
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("run-sh"));
    List<String> pushCommand = new ArrayList<>(List.of(push.replace(" /nix/store/<hash>-<name>", "").split(" ")));
    pushCommand.addAll(fresh.paths());
    nix.run(pushCommand, NixClient.DEFAULT_TIMEOUT).assertSuccess();
    Path store = ItDirs.newTempDir("run-sh-store");
    NixClient.Result substituted = nix.run(List.of("nix-store", "--store", store.toString(), "-r", fresh.root()),
        NixClient.DEFAULT_TIMEOUT);

    assertThat(nix.nixConfig()).doesNotContain("require-sigs");
    assertThat(substituted.ok()).as(substituted.toString()).isTrue();
    assertThat(substituted.stderr()).contains("from 'http://localhost:" + port + "/repository/nix-group'");
    assertThat(NixClient.inStore(store, fresh.root())).exists();
  }

  @Test
  @Order(2)
  void runningItAgainPrintsTheSameConfigAndOnlyWhatItDid() {
    Result again = runSh("start");

    assertThat(again.exitCode).as(again.output).isZero();
    assertThat(again.output).doesNotContain("\u001b")
        .contains("Nexus is already running")
        .doesNotContain("Created").doesNotContain("Wrote").doesNotContain("Marked")
        .doesNotContain("Building").doesNotContain("Unpacking").doesNotContain("Starting")
        .doesNotContain("is not reachable from here");
    assertThat(block(again.output, "# nix.conf")).isEqualTo(block(firstOutput, "# nix.conf"));
    assertThat(block(again.output, "# netrc (")).isEqualTo(block(firstOutput, "# netrc ("));
  }

  @Test
  @Order(3)
  void theAdminSignsInToTheUiWithThePrintedPasswordAndNoSetupWizard() {
    String password = firstOutput.lines().filter(line -> line.contains("admin password: ")).findFirst().orElseThrow()
        .replaceFirst(".*admin password: (\\S+).*", "$1");
    NexusRest admin = new NexusRest("http://127.0.0.1:" + port, "admin", password);

    JsonNode onboarding = admin.get("/service/rest/internal/ui/onboarding").expect(200).json();
    JsonNode user = admin.get("/service/rest/v1/security/users?userId=admin").expect(200).json().get(0);

    assertThat(onboarding).as("what the setup wizard would ask").isEmpty();
    assertThat(user.get("status").asText()).isEqualTo("active");
  }

  @Test
  @Order(4)
  void aRestartWithUnchangedSourcesUsesTheKarAlreadyBuilt() {
    // as a user runs it: no NIX_KAR, so the kar is the one the reactor built from these very sources
    Result restart = runSh("restart", false);

    assertThat(restart.exitCode).as(restart.output).isZero();
    assertThat(restart.output).doesNotContain("\u001b")
        .doesNotContain("Building")
        .contains("Starting Nexus on port " + port + " with nexus-repository-nix-")
        .doesNotContain("Created").doesNotContain("Wrote").doesNotContain("Marked");
    assertThat(block(restart.output, "# nix.conf")).isEqualTo(block(firstOutput, "# nix.conf"));
  }

  // --- the script -------------------------------------------------------------------------------

  private record Result(int exitCode, String output) { }

  /** {@code src/run.sh <command>} with this test's directory and port and the build's kar; output and errors. */
  private static Result runSh(final String command) {
    return runSh(command, true);
  }

  /**
   * @param givenKar whether NIX_KAR names the build's kar; without, run.sh finds (or builds) the plugin's kar itself
   */
  private static Result runSh(final String command, final boolean givenKar) {
    try {
      Path log = Files.createTempFile(runDir, "run-sh-" + command + "-", ".log");
      ProcessBuilder pb = new ProcessBuilder(RUN_SH.toString(), command)
          .directory(ROOT.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Map<String, String> env = pb.environment();
      env.put("NEXUS_RUN_DIR", runDir.toString());
      env.put("NEXUS_PORT", Integer.toString(port));
      if (givenKar) {
        env.put("NIX_KAR", kar.toString());
      }
      else {
        env.remove("NIX_KAR");
      }
      env.remove("NEXUS_HOST");
      env.remove("NEXUS_ADMIN_PASSWORD");
      Process process = pb.start();
      if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("run.sh " + command + " did not finish within " + START_TIMEOUT + ":\n"
            + Files.readString(log));
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The lines after the one starting with {@code header}, up to the next empty line. */
  private static List<String> block(final String output, final String header) {
    List<String> lines = output.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(header)) {
        List<String> block = new ArrayList<>();
        for (int j = i + 1; j < lines.size() && !lines.get(j).isEmpty(); j++) {
          block.add(lines.get(j));
        }
        return block;
      }
    }
    throw new AssertionError("no '" + header + "' block in:\n" + output);
  }

  private static String value(final List<String> nixConf, final String key) {
    return nixConf.stream().filter(line -> line.startsWith(key + " = ")).findFirst()
        .map(line -> line.substring(key.length() + 3))
        .orElseThrow(() -> new AssertionError("no " + key + " in " + nixConf));
  }

  /** The script's Nexus if it runs: the pid its pid file names, if that process runs on this test's data. */
  private static Optional<ProcessHandle> runningPid() {
    try {
      Path pidFile = runDir.resolve("nexus.pid");
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
    catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops the script's Nexus if this JVM dies before {@link #stopTheScriptsNexus}: the watchdog reads its stdin, a
   * pipe from this JVM, and at EOF stops the process the pid file names, if it runs on this test's data directory.
   */
  private static Process startWatchdog() throws IOException {
    String script = String.join("\n",
        "while read -r _; do :; done",
        "pid=$(cat \"$1/nexus.pid\" 2>/dev/null) || exit 0",
        "[ -n \"$pid\" ] && tr '\\0' ' ' < \"/proc/$pid/cmdline\" 2>/dev/null | grep -q -- \"-Dkaraf.data=$1/data \" "
            + "&& kill -TERM \"$pid\"",
        "exit 0");
    return new ProcessBuilder("bash", "-c", script, "run-sh-watchdog", runDir.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
