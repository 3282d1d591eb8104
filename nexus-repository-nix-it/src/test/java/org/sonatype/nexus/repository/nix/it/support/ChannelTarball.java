package org.sonatype.nexus.repository.nix.it.support;

import java.nio.file.Path;

import static org.sonatype.nexus.repository.nix.it.support.TarCommand.write;

/**
 * Channel tarballs as people make them: a directory with a {@code default.nix} (and a {@code .version}), packed
 * with {@code tar -cJf} (GNU tar and xz-utils, as on every Debian). Also the broken ones a deploy must refuse.
 *
 * <pre>{@code
 * Path v1 = ChannelTarball.withHello("team-1", "world-1");   // evaluates: (import <team> {}).hello == "world-1"
 * }</pre>
 */
public final class ChannelTarball
{
  private ChannelTarball() {
  }

  /**
   * A channel whose expression is {@code { ... }: { hello = "<hello>"; }}, in top-level directory {@code dir}.
   *
   * @return the {@code nixexprs.tar.xz}
   */
  public static Path withHello(final String dir, final String hello) {
    Path root = ItDirs.newTempDir("channel");
    write(root.resolve(dir).resolve("default.nix"), "{ ... }: { hello = \"" + hello + "\"; }\n");
    write(root.resolve(dir).resolve(".version"), hello + "\n");
    return tar(root, "cJf", dir);
  }

  /** Two top-level directories, each a valid channel: nix-channel would refuse it. */
  public static Path twoTopLevelDirectories() {
    Path root = ItDirs.newTempDir("channel-two");
    write(root.resolve("a/default.nix"), "{ ... }: { }\n");
    write(root.resolve("b/default.nix"), "{ ... }: { }\n");
    return tar(root, "cJf", "a", "b");
  }

  /** The expression files at the top, no directory: {@code tar -C dir -cJf x.tar.xz default.nix .version}. */
  public static Path filesAtTheTop() {
    Path root = ItDirs.newTempDir("channel-flat");
    write(root.resolve("default.nix"), "{ ... }: { }\n");
    write(root.resolve(".version"), "1\n");
    return tar(root, "cJf", "default.nix", ".version");
  }

  /** A good channel, gzip-compressed instead of xz. */
  public static Path gzipped(final String dir) {
    Path root = ItDirs.newTempDir("channel-gz");
    write(root.resolve(dir).resolve("default.nix"), "{ ... }: { }\n");
    return tar(root, "czf", dir);
  }

  /** A channel with an entry whose name climbs out of the archive ({@code dir/../../escaped}). */
  public static Path withDotDotEntry(final String dir) {
    Path root = ItDirs.newTempDir("channel-dotdot");
    write(root.resolve(dir).resolve("default.nix"), "{ ... }: { }\n");
    write(root.resolve("escaped"), "x\n");
    // GNU tar stores the name as given with -P; --transform puts the file behind "dir/../.."
    return tar(root, "cJPf", "--transform=s|^escaped$|" + dir + "/../../escaped|", dir, "escaped");
  }

  private static Path tar(final Path root, final String mode, final String... members) {
    return TarCommand.tar(root, mode, root.resolve("nixexprs.tar.xz"), members);
  }
}
