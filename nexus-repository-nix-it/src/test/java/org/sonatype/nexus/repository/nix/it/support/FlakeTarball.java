package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.sonatype.nexus.repository.nix.it.support.TarCommand.write;

/**
 * Flake source tarballs as people make them: a directory with a self-contained {@code flake.nix} (no nixpkgs: the
 * package is a plain derivation built with the host's {@code /bin/sh}, so clients need {@code sandbox = false}),
 * packed with GNU tar. Also the broken ones a publish must refuse.
 *
 * <pre>{@code
 * Path v1 = FlakeTarball.writing("mytool", "1.0.0", "v1");  // nix build <ref>#default: $out holds "v1"
 * }</pre>
 */
public final class FlakeTarball
{
  private FlakeTarball() {
  }

  /**
   * A flake whose {@code packages.x86_64-linux.default} is {@code <name>-<version>}, a file holding {@code text},
   * in top-level directory {@code <name>-<version>}, as {@code tar -czf}.
   *
   * @return the {@code .tar.gz}
   */
  public static Path writing(final String name, final String version, final String text) {
    return writing(name, version, text, "czf", ".tar.gz");
  }

  /** The same flake as {@code tar -cJf} (xz). */
  public static Path writingXz(final String name, final String version, final String text) {
    return writing(name, version, text, "cJf", ".tar.xz");
  }

  /** The text of a flake.nix whose default package writes {@code text} to {@code $out}. */
  public static String flakeNix(final String name, final String version, final String text) {
    return "{\n"
        + "  description = \"" + name + " " + version + "\";\n"
        + "  outputs = { self }: {\n"
        + "    packages.x86_64-linux.default = derivation {\n"
        + "      name = \"" + name + "-" + version + "\";\n"
        + "      system = \"x86_64-linux\";\n"
        + "      builder = \"/bin/sh\";\n"
        + "      args = [ \"-c\" \"echo " + text + " > $out\" ];\n"
        + "      PATH = \"/usr/bin:/bin\";\n"
        + "    };\n"
        + "  };\n"
        + "}\n";
  }

  /** A directory with a default.nix but no flake.nix: a channel, not a flake. */
  public static Path withoutFlakeNix() {
    Path root = ItDirs.newTempDir("flake-none");
    write(root.resolve("src/default.nix"), "{ }\n");
    return tar(root, "czf", ".tar.gz", "src");
  }

  /** Two top-level directories, each with a flake.nix: Nix 2.8 refuses to unpack it as a flake. */
  public static Path twoTopLevelDirectories() {
    Path root = ItDirs.newTempDir("flake-two");
    write(root.resolve("a/flake.nix"), flakeNix("a", "1", "a"));
    write(root.resolve("b/flake.nix"), flakeNix("b", "1", "b"));
    return tar(root, "czf", ".tar.gz", "a", "b");
  }

  private static Path writing(final String name, final String version, final String text, final String mode,
                              final String extension)
  {
    Path root = ItDirs.newTempDir("flake");
    String dir = name + "-" + version;
    write(root.resolve(dir).resolve("flake.nix"), flakeNix(name, version, text));
    write(root.resolve(dir).resolve("README"), name + " " + version + "\n");
    return tar(root, mode, extension, dir);
  }

  /** The directory a tarball was packed from: {@code nix hash path} of it is the tarball's narHash. */
  public static Path sourceDirectory(final Path tarball) {
    try (var entries = Files.list(tarball.getParent())) {
      return entries.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tar(final Path root, final String mode, final String extension, final String... members) {
    return TarCommand.tar(root, mode, root.resolve("source" + extension), members);
  }
}
