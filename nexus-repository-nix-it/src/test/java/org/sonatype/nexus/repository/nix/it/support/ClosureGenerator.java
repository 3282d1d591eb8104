package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Real store paths without nixpkgs: a generated, reproducible closure built with the real Nix from
 * {@code derivation { builder = "/bin/sh"; ... }} expressions (host /bin/sh and coreutils, no sandbox).
 *
 * <p>The closure ({@link #root()}, {@link #allPaths()}) has {@value #GENERATED} generated paths plus the
 * root, which references all of them:
 * <ul>
 *   <li>a reference graph: every path writes the store paths of 0-3 earlier ones into its output;</li>
 *   <li>sizes from a few bytes to 50 MiB: mostly small text files, some 4-100 KB, some 100 KB-5 MB
 *       (half compressible text, half incompressible random bytes), and one 50 MiB random file;</li>
 *   <li>a few directory outputs with an executable, relative and absolute (cross-path) symlinks and an
 *       empty directory.</li>
 * </ul>
 * Everything derives from fixed seeds, so every run (on any machine with the same coreutils) produces the
 * same expressions, hence the same store paths, and Nix simply reuses outputs an earlier run built.
 * Random bytes come from a seed file written by Java and imported into the store ({@code ./seed.bin}).
 *
 * <p>Special outputs are built separately, on first request: {@link #pathWithBuildLog()},
 * {@link #contentAddressedPath()}, {@link #debugInfoPath()}, {@link #largePath(long)} and
 * {@link #fresh(String)} (new paths no cache has seen).
 */
public final class ClosureGenerator
{
  /** Number of generated paths in the closure, not counting the root. */
  public static final int GENERATED = 220;

  /** Size of the seed file, and of the closure's biggest path. */
  public static final int SEED_BYTES = 50 * 1024 * 1024;

  /** The build-id directory of {@link #debugInfoPath()}: {@code lib/debug/.build-id/ab/<38 hex>.debug}. */
  public static final String DEBUG_BUILD_ID = "ab" + "cdef0123456789abcdef0123456789abcdef01";

  private static final long LAYOUT_SEED = 0x4e49584c41594f55L;

  private static final long BYTES_SEED = 0x4e49585345454421L;

  private static ClosureGenerator instance;

  private final NixClient nix;

  private final Path dir;

  private final String root;

  private final List<String> allPaths;

  private final Duration buildTime;

  private final Map<String, String> built = new HashMap<>();

  private ClosureGenerator(final NixClient nix, final Path dir, final String root, final List<String> allPaths,
                           final Duration buildTime)
  {
    this.nix = nix;
    this.dir = dir;
    this.root = root;
    this.allPaths = allPaths;
    this.buildTime = buildTime;
  }

  /** The generated closure, built on the first call of this JVM (a no-op for Nix when an earlier run built it). */
  public static synchronized ClosureGenerator get() {
    if (instance == null) {
      NixClient nix = NixClient.builder().name("closure-generator")
          // Builds are tiny and mostly I/O: let several run at once even on 2 cores.
          .option("max-jobs", "4")
          .option("cores", "1")
          .build();
      Path dir = ItDirs.mkdirs(ItDirs.nixWorkDir().resolve("closure"));
      Instant begin = Instant.now();
      writeSeed(dir.resolve("seed.bin"));
      write(dir.resolve("lib.nix"), libExpression());
      write(dir.resolve("closure.nix"), closureExpression());
      String root = buildAttr(nix, dir.resolve("closure.nix"), "root");
      List<String> all = nix.closure(root);
      Duration took = Duration.between(begin, Instant.now());
      instance = new ClosureGenerator(nix, dir, root, all, took);
      NexusServer.log("closure of " + all.size() + " paths (" + root + ") ready in " + NexusServer.seconds(took));
    }
    return instance;
  }

  /** The root path; its closure is {@link #allPaths()}. */
  public String root() {
    return root;
  }

  /** Every path of the closure, root included, sorted. */
  public List<String> allPaths() {
    return allPaths;
  }

  /** How long this JVM spent making the closure available (generation, evaluation and any builds). */
  public Duration buildTime() {
    return buildTime;
  }

  /** The client the generator builds with; any other {@link NixClient} sees the same /nix/store. */
  public NixClient nix() {
    return nix;
  }

  /** Sum of the NAR sizes of {@link #allPaths()}. */
  public long totalNarSize() {
    JsonNode infos = Json.parse(nix.run("nix", "path-info", "--json", "-r", root).assertSuccess().stdout());
    long sum = 0;
    for (JsonNode info : infos) {
      sum += info.get("narSize").asLong();
    }
    return sum;
  }

  /** {@code nix-store -qd}: the derivation that produced an output path (e.g. for {@code log/<drv>}). */
  public String deriver(final String outputPath) {
    return nix.run("nix-store", "-qd", outputPath).assertSuccess().stdout().trim();
  }

  // --- special outputs --------------------------------------------------------------------------

  /**
   * A small path whose build printed a two-line log ({@code "building gen-with-log"} and
   * {@code "second line of the log"}), for {@code nix store copy-log} and {@code nix log}. It references
   * {@link #root()}'s first generated path.
   */
  public synchronized String pathWithBuildLog() {
    return special("with-log", String.join("\n",
        "let lib = import ./lib.nix; closure = import ./closure.nix; in",
        "lib.mk \"gen-with-log\" ''",
        "  echo building gen-with-log",
        "  echo second line of the log",
        "  echo \"${closure.p000}\" > \"$out\"",
        "''"), false);
  }

  /**
   * The output of a floating content-addressed derivation ({@code __contentAddressed = true}), built with
   * the {@code ca-derivations} experimental feature; {@code nix copy} of it also uploads a realisation.
   * Clients that handle it need {@code extra-experimental-features = ca-derivations} as well.
   */
  public synchronized String contentAddressedPath() {
    return special("content-addressed", String.join("\n",
        "derivation {",
        "  name = \"gen-ca\";",
        "  system = builtins.currentSystem;",
        "  builder = \"/bin/sh\";",
        "  args = [ \"-c\" \"echo content-addressed output > $out\" ];",
        "  PATH = \"/usr/bin:/bin\";",
        "  __contentAddressed = true;",
        "  outputHashMode = \"recursive\";",
        "  outputHashAlgo = \"sha256\";",
        "}"), true);
  }

  /**
   * The Nix expression file of {@link #contentAddressedPath()} (building it, after {@link #contentAddressedPath()}
   * was called once, into another store with {@code --max-jobs 0} proves substitution through a realisation).
   */
  public synchronized Path contentAddressedExpression() {
    contentAddressedPath();
    return dir.resolve("content-addressed.nix");
  }

  /**
   * A path containing {@code lib/debug/.build-id/ab/<38 hex>.debug} ({@link #DEBUG_BUILD_ID}); copied with
   * {@code ?index-debug-info=true} it makes Nix upload {@code debuginfo/<build-id>.debug}.
   */
  public synchronized String debugInfoPath() {
    String sub = DEBUG_BUILD_ID.substring(0, 2);
    String rest = DEBUG_BUILD_ID.substring(2);
    return special("debug-info", String.join("\n",
        "let lib = import ./lib.nix; in",
        "lib.mk \"gen-debug-info\" ''",
        "  mkdir -p \"$out/lib/debug/.build-id/" + sub + "\" \"$out/bin\"",
        "  printf 'not really ELF debug info\\n' > \"$out/lib/debug/.build-id/" + sub + "/" + rest + ".debug\"",
        "  printf '#!/bin/sh\\necho debug-info\\n' > \"$out/bin/gen-debug-info\"",
        "  chmod 755 \"$out/bin/gen-debug-info\"",
        "''"), false);
  }

  /**
   * A single file of exactly {@code bytes} bytes, for streaming tests (a 2 GiB NAR through a 1 GiB heap).
   * Content: the 50 MiB random seed repeated, which xz/zstd at default settings cannot compress (their
   * windows are far smaller than 50 MiB) - push it with {@code ?compression=none} unless compression time
   * is the point. Built once; later runs reuse it.
   */
  public synchronized String largePath(final long bytes) {
    long copies = bytes / SEED_BYTES + 1;
    return special("large-" + bytes, String.join("\n",
        "let lib = import ./lib.nix; in",
        "lib.mk \"gen-large-" + bytes + "\" ''",
        "  i=0",
        "  while [ $i -lt " + copies + " ]; do cat \"${lib.seed}\"; i=$((i+1)); done | head -c " + bytes
            + " > \"$out\"",
        "''"), false);
  }

  /**
   * Two paths nobody has built before (their names contain {@code tag}, use {@link Names#unique}): a
   * directory {@code root} that references the file {@code dependency}. Both builds print a log.
   */
  public record Fresh(String root, String dependency)
  {
    /** Both paths, dependency first. */
    public List<String> paths() {
      return List.of(dependency, root);
    }
  }

  /** Builds {@link Fresh} paths for {@code tag} (letters, digits, dashes). */
  public synchronized Fresh fresh(final String tag) {
    String clean = tag.replaceAll("[^A-Za-z0-9-]", "-");
    Path file = dir.resolve("fresh-" + clean + ".nix");
    write(file, String.join("\n",
        "let",
        "  lib = import ./lib.nix;",
        "  dependency = lib.mk \"fresh-" + clean + "-dep\" ''",
        "    echo building the dependency of " + clean,
        "    echo " + clean + " dependency > \"$out\"",
        "  '';",
        "in {",
        "  inherit dependency;",
        "  root = lib.mk \"fresh-" + clean + "\" ''",
        "    echo building " + clean,
        "    mkdir -p \"$out/bin\"",
        "    echo \"${dependency}\" > \"$out/dependency\"",
        "    printf '#!/bin/sh\\necho " + clean + "\\n' > \"$out/bin/" + clean + "\"",
        "    chmod 755 \"$out/bin/" + clean + "\"",
        "  '';",
        "}"));
    return new Fresh(buildAttr(nix, file, "root"), buildAttr(nix, file, "dependency"));
  }

  private String special(final String key, final String expression, final boolean contentAddressed) {
    return built.computeIfAbsent(key, k -> {
      Path file = dir.resolve(k + ".nix");
      write(file, "# Generated by ClosureGenerator (integration tests).\n" + expression + "\n");
      List<String> args = new ArrayList<>(List.of("nix-build", file.toString(), "--no-out-link"));
      if (contentAddressed) {
        args.addAll(List.of("--extra-experimental-features", "ca-derivations"));
      }
      return lastLine(nix.run(args, NixClient.DEFAULT_TIMEOUT).assertSuccess());
    });
  }

  private static String buildAttr(final NixClient nix, final Path file, final String attr) {
    return lastLine(nix.run("nix-build", file.toString(), "-A", attr, "--no-out-link").assertSuccess());
  }

  private static String lastLine(final NixClient.Result result) {
    List<String> lines = result.stdoutLines();
    if (lines.isEmpty() || !lines.get(lines.size() - 1).startsWith("/nix/store/")) {
      throw new AssertionError("nix-build printed no store path: " + result);
    }
    return lines.get(lines.size() - 1);
  }

  // --- generation -------------------------------------------------------------------------------

  private static void writeSeed(final Path file) {
    try {
      if (Files.exists(file) && Files.size(file) == SEED_BYTES) {
        return;
      }
      SplittableRandom random = new SplittableRandom(BYTES_SEED);
      byte[] chunk = new byte[1024 * 1024];
      try (OutputStream out = Files.newOutputStream(file)) {
        for (int written = 0; written < SEED_BYTES; written += chunk.length) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String libExpression() {
    return String.join("\n",
        "# Generated by ClosureGenerator (integration tests).",
        "{",
        "  seed = ./seed.bin;",
        "  mk = name: script: derivation {",
        "    inherit name;",
        "    system = builtins.currentSystem;",
        "    builder = \"/bin/sh\";",
        "    args = [ \"-c\" (\"set -e\\n\" + script) ];",
        "    PATH = \"/usr/bin:/bin\";",
        "  };",
        "}",
        "");
  }

  /**
   * The closure: {@code p000 .. p219} and {@code root}. Layout decisions come from a seeded
   * {@link Random}, so the text is identical on every run.
   */
  static String closureExpression() {
    Random random = new Random(LAYOUT_SEED);
    int big = GENERATED / 2;
    List<Integer> directories = List.of(10, 60, 120, 180);
    StringBuilder nix = new StringBuilder()
        .append("# Generated by ClosureGenerator (integration tests); do not edit.\n")
        .append("let\n  lib = import ./lib.nix;\n  inherit (lib) mk seed;\n");
    long seedOffset = 0;
    for (int i = 0; i < GENERATED; i++) {
      String name = String.format("p%03d", i);
      TreeSet<Integer> deps = new TreeSet<>();
      int wanted = i == 0 ? 0 : random.nextInt(4);
      while (deps.size() < Math.min(wanted, i)) {
        deps.add(random.nextInt(i));
      }
      StringBuilder script = new StringBuilder();
      String kind;
      if (directories.contains(i)) {
        kind = "dir";
        String bin = "gen-" + name;
        script.append("mkdir -p \"$out/bin\" \"$out/share/doc\" \"$out/lib\" \"$out/share/empty\"\n")
            .append("printf '#!/bin/sh\\necho ").append(bin).append("\\n' > \"$out/bin/").append(bin).append("\"\n")
            .append("chmod 755 \"$out/bin/").append(bin).append("\"\n")
            .append(text(name, 2000 + random.nextInt(20000), "\"$out/share/doc/README\""))
            .append("ln -s ../share/doc/README \"$out/bin/README\"\n")
            .append(randomBytes(seedOffset, 100_000, "\"$out/lib/libgen.so\""));
        seedOffset += 100_000;
        int n = 0;
        for (int d : deps) {
          // An absolute symlink into another store path: a reference, and a link Nix must restore as-is.
          script.append("ln -s \"${p").append(String.format("%03d", d)).append("}\" \"$out/lib/dep-")
              .append(n++).append("\"\n");
        }
      }
      else {
        script.append(": > \"$out\"\n");
        for (int d : deps) {
          script.append("echo \"${p").append(String.format("%03d", d)).append("}\" >> \"$out\"\n");
        }
        double r = random.nextDouble();
        if (i == big) {
          kind = "random-50m";
          script.append("cat \"${seed}\" >> \"$out\"\n");
        }
        else if (r < 0.80) {
          kind = "small";
          script.append(text(name, logUniform(random, 4, 4096), "\"$out\""));
        }
        else if (r < 0.88) {
          kind = "text";
          script.append(text(name, logUniform(random, 4096, 100_000), "\"$out\""));
        }
        else if (r < 0.94) {
          kind = "random";
          int size = logUniform(random, 100_000, 5_000_000);
          if (seedOffset + size > SEED_BYTES) {
            seedOffset = 0;
          }
          script.append(randomBytes(seedOffset, size, "\"$out\""));
          seedOffset += size;
        }
        else {
          kind = "bigtext";
          script.append(text(name, logUniform(random, 100_000, 5_000_000), "\"$out\""));
        }
      }
      nix.append("  ").append(name).append(" = mk \"gen-").append(name).append('-').append(kind).append("\" ''\n");
      script.toString().lines().forEach(l -> nix.append("    ").append(l).append('\n'));
      nix.append("  '';\n");
    }
    nix.append("  root = mk \"gen-root\" ''\n")
        .append("    : > \"$out\"\n");
    for (int i = 0; i < GENERATED; i++) {
      nix.append("    echo \"${p").append(String.format("%03d", i)).append("}\" >> \"$out\"\n");
    }
    nix.append("  '';\n")
        .append("in\n{\n  inherit root");
    for (int i = 0; i < GENERATED; i++) {
      nix.append(' ').append(String.format("p%03d", i));
    }
    return nix.append(";\n}\n").toString();
  }

  /** Appends {@code size} bytes of repetitive (very compressible) text to {@code target}. */
  private static String text(final String label, final int size, final String target) {
    int lines = size / 40 + 1;
    return "seq -f '" + label + " line %g: the quick brown fox jumps over the lazy dog' 1 " + lines
        + " | head -c " + size + " >> " + target + "\n";
  }

  /** Appends {@code size} incompressible bytes, a slice of the seed, to {@code target}. */
  private static String randomBytes(final long offset, final int size, final String target) {
    return "tail -c +" + (offset + 1) + " \"${seed}\" | head -c " + size + " >> " + target + "\n";
  }

  private static int logUniform(final Random random, final int min, final int max) {
    return (int) Math.round(Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min))));
  }

  private static void write(final Path file, final String content) {
    try {
      if (!Files.exists(file) || !Files.readString(file).equals(content)) {
        Files.writeString(file, content);
      }
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
