package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Nix client installation: the machine's own (Debian 12's nix-bin, Nix 2.8, on the PATH) or a Debian folder
 * made by {@code src/nix-clients.sh} (trixie: Nix 2.26, sid: Nix 2.34), whose Nix runs chroot'ed into the folder.
 *
 * <p>A folder's client has its own {@code /nix/store} (the folder's) and sees the suite's work directory
 * ({@link ItDirs#nixWorkDir()}: client homes, netrc files, throwaway stores, generated expressions) at the same path
 * as the tests do: {@code src/nix-clients.sh run} bind-mounts it into the folder in a mount namespace of the
 * command's own, so paths need no translating, except store paths, which are inside the folder
 * ({@link #hostPath(String)}). The network is the machine's: Nexus is on 127.0.0.1 for every client.
 *
 * <p>{@link #all()} is the client-compatibility suite's list: {@code -Dnix.it.clients=host,/path/to/folder,...}, by
 * default the machine's client and every folder {@code src/nix-clients.sh list} names.
 */
public final class NixInstallation
{
  private static final Pattern VERSION = Pattern.compile("\\(Nix\\) (\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  private static final NixInstallation HOST = new NixInstallation(null);

  private static final Map<Path, NixInstallation> FOLDERS = new ConcurrentHashMap<>();

  private static volatile List<NixInstallation> all;

  /** Null for the machine's own client. */
  private final Path folder;

  private volatile String version;

  private NixInstallation(final Path folder) {
    this.folder = folder;
  }

  /** The machine's Nix, from the PATH. */
  public static NixInstallation host() {
    return HOST;
  }

  /** The Nix of a Debian folder made by {@code src/nix-clients.sh}. */
  public static NixInstallation folder(final Path folder) {
    return FOLDERS.computeIfAbsent(folder.toAbsolutePath().normalize(), NixInstallation::new);
  }

  /**
   * Every client the compatibility suite runs: {@code nix.it.clients} (comma-separated {@code host} or folder paths),
   * or the machine's client and the folders of {@code src/nix-clients.sh list}. Each is checked to run.
   */
  public static synchronized List<NixInstallation> all() {
    if (all == null) {
      String property = System.getProperty("nix.it.clients", "").trim();
      List<String> names = property.isEmpty() ? defaultClients() : Arrays.asList(property.split(","));
      List<NixInstallation> clients = new ArrayList<>();
      for (String name : names) {
        String trimmed = name.trim();
        if (!trimmed.isEmpty()) {
          clients.add(trimmed.equals("host") ? host() : folder(Paths.get(trimmed)));
        }
      }
      clients.forEach(NixInstallation::version);
      all = List.copyOf(clients);
    }
    return all;
  }

  private static List<String> defaultClients() {
    List<String> names = new ArrayList<>(List.of("host"));
    names.addAll(runScript(List.of(clientsScript().toString(), "list")).lines().filter(l -> !l.isBlank()).toList());
    return names;
  }

  /** {@code src/nix-clients.sh} of this checkout (failsafe passes {@code nix.it.clientsScript}). */
  static Path clientsScript() {
    return Paths.get(System.getProperty("nix.it.clientsScript", "../src/nix-clients.sh")).toAbsolutePath();
  }

  public boolean isHost() {
    return folder == null;
  }

  /**
   * The command line that runs {@code args} with this client: as is on the machine, or through
   * {@code src/nix-clients.sh run <folder> --bind <work dir> --} for a folder.
   */
  public List<String> command(final List<String> args) {
    if (folder == null) {
      return args;
    }
    List<String> command = new ArrayList<>(List.of(clientsScript().toString(), "run", folder.toString(),
        "--bind", ItDirs.nixWorkDir().toString(), "--"));
    command.addAll(args);
    return command;
  }

  /** Where a path the client printed (a store path, e.g. a build result) is on the machine. */
  public Path hostPath(final String path) {
    return folder == null ? Paths.get(path) : folder.resolve(path.substring(1));
  }

  /** The version {@code nix --version} prints, e.g. {@code 2.34.8}; fails, saying why, if the client does not run. */
  public String version() {
    if (version == null) {
      String out = runScript(command(List.of("nix", "--version")));
      Matcher matcher = VERSION.matcher(out);
      if (!matcher.find()) {
        throw new IllegalStateException(this.describeWhere() + ": 'nix --version' printed no version: " + out);
      }
      version = matcher.group(1) + "." + matcher.group(2) + (matcher.group(3) != null ? "." + matcher.group(3) : "");
    }
    return version;
  }

  /** Whether this client is Nix {@code major.minor} or later. */
  public boolean atLeast(final int major, final int minor) {
    String[] parts = version().split("\\.");
    int ma = Integer.parseInt(parts[0]);
    int mi = Integer.parseInt(parts[1]);
    return ma > major || (ma == major && mi >= minor);
  }

  /** For test names: {@code Nix 2.34.8 (sid)}, {@code Nix 2.8.0 (host)}. */
  @Override
  public String toString() {
    return "Nix " + version() + " (" + (folder == null ? "host" : folder.getFileName()) + ")";
  }

  private String describeWhere() {
    return folder == null ? "the machine's Nix (Debian's nix-bin)" : "the Nix of " + folder
        + " (made by src/nix-clients.sh ensure, which ./src/test.sh runs)";
  }

  private static String runScript(final List<String> command) {
    try {
      Path out = Files.createTempFile(ItDirs.mkdirs(ItDirs.nixWorkDir().resolve("tmp")), "nix-installation", ".out");
      try {
        Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(out.toFile())
            .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new IllegalStateException("timed out: " + command);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
              + text + "\n(the folders are made by src/nix-clients.sh ensure, which ./src/test.sh runs as root)");
        }
        return text;
      }
      finally {
        Files.deleteIfExists(out);
      }
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
