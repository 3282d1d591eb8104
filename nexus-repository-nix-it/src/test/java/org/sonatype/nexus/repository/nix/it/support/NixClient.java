package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The real Nix CLI in an environment of its own: by default the machine's (Debian's nix-bin, Nix 2.8), or any
 * other real client installation ({@link Builder#installation}, e.g. Nix 2.26 or 2.34 in a Debian folder).
 *
 * <p>Every instance has a private directory with its own {@code HOME}, {@code XDG_CACHE_HOME} (so Nix's
 * narinfo disk cache, which remembers hits for 30 days and misses for an hour, never leaks between tests),
 * {@code XDG_CONFIG_HOME} and {@code NIX_CONF_DIR} (so neither /etc/nix/nix.conf nor ~/.config/nix apply).
 * All settings come from {@code NIX_CONFIG}: the {@link #BASE_CONFIG} plus whatever the builder adds.
 * The store itself is the installation's /nix/store (the machine's for the machine's client; as root, without a
 * daemon); tests that need a clean store substitute into a throwaway one with {@link #realiseInto}.
 *
 * <pre>{@code
 * NixClient nix = NixClient.builder().netrc("127.0.0.1", "admin", password).build();
 * nix.copyTo(repoUrl, List.of(path));
 * NixClient fresh = NixClient.builder().netrc("127.0.0.1", "admin", password).build();
 * Path store = ItDirs.newTempDir("store");
 * fresh.realiseInto(store, repoUrl, List.of(path), false);
 * }</pre>
 */
public final class NixClient
{
  /**
   * What every client gets: no build users (root, no daemon), no sandbox (Debian's nix cannot sandbox,
   * and the generated derivations use the host's /bin/sh), the new CLI, and no default substituter
   * (cache.nixos.org is unreachable here).
   */
  public static final List<String> BASE_CONFIG = List.of(
      "build-users-group =",
      "sandbox = false",
      "experimental-features = nix-command flakes",
      "substituters =");

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /** Where Debian's Nix keeps its database, profiles and GC roots. */
  static final String MACHINE_STATE_DIR = "/nix/var/nix";

  private static final AtomicInteger COMMANDS = new AtomicInteger();

  private static volatile Boolean installed;

  private final Path dir;

  private final String nixConfig;

  private final Path netrc;

  private final Map<String, String> extraEnv;

  private final NixInstallation installation;

  private NixClient(final Path dir, final String nixConfig, final Path netrc, final Map<String, String> extraEnv,
                    final NixInstallation installation)
  {
    this.dir = dir;
    this.nixConfig = nixConfig;
    this.netrc = netrc;
    this.extraEnv = extraEnv;
    this.installation = installation;
  }

  /** A client with the base configuration and no credentials. */
  public static NixClient create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a client; every {@link #build()} gets a fresh private directory.
   */
  public static final class Builder
  {
    private final List<String> config = new ArrayList<>(BASE_CONFIG);

    private final StringBuilder netrc = new StringBuilder();

    private final Map<String, String> env = new LinkedHashMap<>();

    private String name = "nix";

    private boolean ownChannelsProfile;

    private NixInstallation installation = NixInstallation.host();

    private Builder() {
    }

    /** Which real Nix runs the commands (default: the machine's). */
    public Builder installation(final NixInstallation value) {
      this.installation = value;
      return this;
    }

    /** A word for the private directory's name, to find it in target/nix-it/clients when debugging. */
    public Builder name(final String value) {
      this.name = value.replaceAll("[^A-Za-z0-9_-]", "_");
      return this;
    }

    /** Adds a setting; later lines win, so this also overrides a base setting. */
    public Builder option(final String key, final String value) {
      config.add(key + " = " + value);
      return this;
    }

    /** Adds a raw nix.conf line, e.g. {@code "extra-experimental-features = ca-derivations"}. */
    public Builder configLine(final String line) {
      config.add(line);
      return this;
    }

    /**
     * Adds credentials for a host to the client's netrc file and points {@code netrc-file} at it. Nix then
     * sends them preemptively (Basic auth) on every request to that host, as real users' setups do.
     *
     * @param host as in the URL, e.g. {@code 127.0.0.1} (no port)
     */
    public Builder netrc(final String host, final String user, final String password) {
      netrc.append("machine ").append(host).append('\n')
          .append("login ").append(user).append('\n')
          .append("password ").append(password).append('\n');
      return this;
    }

    /**
     * Gives the client a nix-channel profile of its own. As root without a daemon, nix-channel keeps its channels
     * profile at {@code <state dir>/profiles/per-user/root/channels}, one for the whole machine, and
     * {@code --update} replaces its whole content: clients (and the machine's own root user) would overwrite each
     * other's channels. With this, the state dir Nix uses for profiles is the client's own ({@code NIX_STATE_DIR}),
     * while the store keeps the machine's database ({@code store = local?state=/nix/var/nix}). The result is at
     * {@code ~/.nix-defexpr/channels/<name>}, see {@link #channelPath}.
     */
    public Builder ownChannelsProfile() {
      ownChannelsProfile = true;
      return this;
    }

    /** An extra environment variable for every command. */
    public Builder env(final String key, final String value) {
      env.put(key, value);
      return this;
    }

    public NixClient build() {
      if (installation.isHost()) {
        requireInstalled();
      }
      else {
        installation.version();
      }
      try {
        Path clients = ItDirs.mkdirs(ItDirs.nixWorkDir().resolve("clients"));
        Path dir = Files.createTempDirectory(clients, name + "-");
        for (String sub : List.of("home", "cache", "config", "conf-dir", "tmp", "logs")) {
          Files.createDirectories(dir.resolve(sub));
        }
        List<String> lines = new ArrayList<>(config);
        Map<String, String> environment = new LinkedHashMap<>(env);
        if (ownChannelsProfile) {
          Path state = dir.resolve("state");
          Files.createDirectories(state.resolve("profiles/per-user").resolve(System.getProperty("user.name")));
          environment.put("NIX_STATE_DIR", state.toString());
          lines.add("store = local?state=" + MACHINE_STATE_DIR);
        }
        Path netrcFile = null;
        if (netrc.length() > 0) {
          netrcFile = dir.resolve("netrc");
          Files.writeString(netrcFile, netrc.toString());
          Files.setPosixFilePermissions(netrcFile, PosixFilePermissions.fromString("rw-------"));
          lines.add("netrc-file = " + netrcFile);
        }
        String nixConfig = String.join("\n", lines) + "\n";
        // For humans debugging a failed test: the exact settings, next to the command logs.
        Files.writeString(dir.resolve("nix.conf.effective"), nixConfig);
        return new NixClient(dir, nixConfig, netrcFile, Map.copyOf(environment), installation);
      }
      catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Fails with an actionable message when the Nix CLI is not on the PATH (the suite installs nothing by
   * itself; src/test.sh does).
   */
  public static void requireInstalled() {
    if (installed == null) {
      installed = onPath("nix") && onPath("nix-store") && onPath("nix-build");
    }
    if (!installed) {
      throw new IllegalStateException("the Nix CLI (nix, nix-store, nix-build) is not installed: "
          + "install Debian's nix-bin (sudo apt-get install nix-bin), or run ./src/test.sh which does it");
    }
  }

  private static boolean onPath(final String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Arrays.stream(path.split(":")).anyMatch(d -> Files.isExecutable(Paths.get(d, program)));
  }

  /** The real Nix this client runs. */
  public NixInstallation installation() {
    return installation;
  }

  /** Where a path this client printed (e.g. a build's output) is on the machine: see {@link NixInstallation}. */
  public Path hostPath(final String path) {
    return installation.hostPath(path);
  }

  /** The client's private directory (home/, cache/, logs/ with every command's output, ...). */
  public Path dir() {
    return dir;
  }

  /** {@code ~/.nix-defexpr/channels/<name>}: where {@code nix-channel --update} puts channel {@code name}. */
  public Path channelPath(final String name) {
    return dir.resolve("home/.nix-defexpr/channels").resolve(name);
  }

  /** The netrc file, or null if the client has no credentials. */
  public Path netrcFile() {
    return netrc;
  }

  /** The exact NIX_CONFIG every command gets. */
  public String nixConfig() {
    return nixConfig;
  }

  // --- running commands -------------------------------------------------------------------------

  /**
   * What a command did. {@link #toString()} shows the command, exit code and the ends of both outputs, so
   * an assertion message built from it explains itself.
   */
  public record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr,
                       Duration took)
  {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** @return this if the command succeeded; an {@link AssertionError} describing it otherwise */
    public Result assertSuccess() {
      if (!ok()) {
        throw new AssertionError("command failed: " + this);
      }
      return this;
    }

    /** Non-empty stdout lines, trimmed. */
    public List<String> stdoutLines() {
      return stdout.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    @Override
    public String toString() {
      return String.join(" ", command) + "\n  -> " + (timedOut ? "TIMED OUT" : "exit " + exitCode)
          + " after " + NexusServer.seconds(took)
          + "\n  stdout: " + tailOf(stdout, 30) + "\n  stderr: " + tailOf(stderr, 60);
    }

    private static String tailOf(final String text, final int lines) {
      List<String> all = text.lines().toList();
      if (all.isEmpty()) {
        return "(empty)";
      }
      List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
      return (all.size() > lines ? "... (" + (all.size() - lines) + " lines skipped)\n    " : "")
          + String.join("\n    ", tail);
    }
  }

  /**
   * Runs a Nix program ({@code nix}, {@code nix-store}, {@code nix-build}, ...) with this client's
   * environment. Never throws for a non-zero exit: check {@link Result#ok()} or call
   * {@link Result#assertSuccess()}. On timeout the process tree is killed and {@code timedOut} is set.
   *
   * @param args program and arguments, e.g. {@code List.of("nix", "path-info", "--store", url, path)}
   */
  public Result run(final List<String> args, final Duration timeout) {
    int n = COMMANDS.incrementAndGet();
    Path out = dir.resolve("logs/" + n + ".stdout");
    Path err = dir.resolve("logs/" + n + ".stderr");
    ProcessBuilder pb = new ProcessBuilder(installation.command(args))
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    // Start from nothing but PATH: NIX_PATH, NIX_REMOTE, NIX_SSL_CERT_FILE... of the caller must not leak in.
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.clear();
    env.put("PATH", path);
    env.put("HOME", dir.resolve("home").toString());
    env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("NIX_CONF_DIR", dir.resolve("conf-dir").toString());
    env.put("NIX_CONFIG", nixConfig);
    env.put("TMPDIR", dir.resolve("tmp").toString());
    env.put("NIX_PAGER", "cat");
    env.put("PAGER", "cat");
    env.put("TERM", "dumb");
    env.put("LANG", "C.UTF-8");
    env.putAll(extraEnv);
    Instant begin = Instant.now();
    try {
      Process process = pb.start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
      }
      return new Result(List.copyOf(args), process.exitValue(), !finished, read(out), read(err),
          Duration.between(begin, Instant.now()));
    }
    catch (IOException e) {
      throw new UncheckedIOException("cannot run " + args, e);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + args, e);
    }
  }

  /** {@link #run(List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  public Result run(final String... args) {
    return run(List.of(args), DEFAULT_TIMEOUT);
  }

  private static String read(final Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  // --- common operations (all assert success; use run() to look at failures) ---------------------

  /**
   * {@code nix copy --to <storeUrl> <paths...>}: uploads the closures of {@code paths} to a binary cache.
   *
   * @param storeUrl e.g. {@code http://127.0.0.1:8081/repository/foo}, optionally with client-side
   *                 parameters such as {@code ?compression=zstd} or {@code ?secret-key=/path}
   */
  public Result copyTo(final String storeUrl, final List<String> paths) {
    List<String> args = new ArrayList<>(List.of("nix", "copy", "--to", storeUrl));
    args.addAll(paths);
    return run(args, DEFAULT_TIMEOUT).assertSuccess();
  }

  /**
   * {@code nix-store --store <storeDir> -r <paths> --option substituters <url> --option require-sigs ...}:
   * substitutes the closures of {@code paths} from a binary cache into a throwaway chroot store (the paths
   * then exist under {@code <storeDir>/nix/store}; see {@link #inStore}). The machine's /nix/store is not
   * touched, so this is a true download even when the paths exist locally.
   */
  public Result realiseInto(final Path storeDir, final String substituterUrl, final List<String> paths,
                            final boolean requireSigs)
  {
    return run(realiseArgs(storeDir, substituterUrl, paths, requireSigs), DEFAULT_TIMEOUT).assertSuccess();
  }

  /** The command line of {@link #realiseInto}, for tests that expect it to fail ({@code run(realiseArgs(...))}). */
  public static List<String> realiseArgs(final Path storeDir, final String substituterUrl, final List<String> paths,
                                         final boolean requireSigs)
  {
    List<String> args = new ArrayList<>(List.of("nix-store", "--store", storeDir.toString(), "-r"));
    args.addAll(paths);
    args.addAll(List.of("--option", "substituters", substituterUrl,
        "--option", "require-sigs", Boolean.toString(requireSigs)));
    return args;
  }

  /**
   * The command line of {@link #realiseInto} with {@code require-sigs = true} and only {@code trustedPublicKeys}
   * trusted (each {@code name:base64}), for tests about signatures: run it with {@link #run(List, Duration)}.
   */
  public static List<String> realiseArgsTrusting(final Path storeDir, final String substituterUrl,
                                                 final List<String> paths, final String... trustedPublicKeys)
  {
    List<String> args = new ArrayList<>(realiseArgs(storeDir, substituterUrl, paths, true));
    args.addAll(List.of("--option", "trusted-public-keys", String.join(" ", trustedPublicKeys)));
    return args;
  }

  /** Where store path {@code /nix/store/xyz-name} lives inside a chroot store made by {@link #realiseInto}. */
  public static Path inStore(final Path storeDir, final String storePath) {
    return storeDir.resolve(storePath.substring(1));
  }

  /**
   * {@code nix path-info --json --store <storeUrl> <path>}: what the store (e.g. a binary cache URL) knows
   * about a path ({@code narHash}, {@code narSize}, {@code references}, {@code signatures}, {@code url}...).
   *
   * @return the JSON object for the path
   */
  public JsonNode pathInfo(final String storeUrl, final String path) {
    Result result = run(List.of("nix", "path-info", "--json", "--store", storeUrl, path), DEFAULT_TIMEOUT)
        .assertSuccess();
    JsonNode json = Json.parse(result.stdout());
    // Nix 2.8 prints an array of objects; Nix 2.19 and later an object keyed by store path
    if (json.isArray()) {
      return json.get(0);
    }
    return json.has(path) ? json.get(path) : json.elements().next();
  }

  /** {@code nix-store -qR <path>}: the closure of a path in the local store, sorted. */
  public List<String> closure(final String path) {
    return run("nix-store", "-qR", path).assertSuccess().stdoutLines().stream().sorted().toList();
  }

  /**
   * A binary-cache signing key pair from {@code nix-store --generate-binary-cache-key}.
   *
   * @param secretKeyFile use as {@code ?secret-key=<file>} on the copy target or with {@code nix store sign}
   * @param publicKey     {@code name:base64}, for {@code trusted-public-keys}
   */
  public record SigningKey(String name, Path secretKeyFile, String publicKey)
  {
  }

  /**
   * The contents of a key's secret key file, {@code name:base64}: what {@code nix key generate-secret} prints and
   * what Nexus imports.
   */
  public static String secretKeyText(final SigningKey key) {
    try {
      return Files.readString(key.secretKeyFile()).trim();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Generates a new signing key in this client's directory. */
  public SigningKey generateSigningKey(final String name) {
    Path secret = dir.resolve(name + ".secret");
    Path pub = dir.resolve(name + ".public");
    run("nix-store", "--generate-binary-cache-key", name, secret.toString(), pub.toString()).assertSuccess();
    try {
      return new SigningKey(name, secret, Files.readString(pub).trim());
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
