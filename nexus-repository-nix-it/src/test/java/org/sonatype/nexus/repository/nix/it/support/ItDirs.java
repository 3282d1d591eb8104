package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where the suite keeps its files. Everything lives under the module's {@code target/} so that
 * {@code mvn clean} removes it and nothing leaks into /tmp between runs.
 *
 * <p>Failsafe passes {@code nix.it.workDir} (see the module pom); run from an IDE the defaults
 * resolve against the working directory, which IDEs set to the module directory.
 */
public final class ItDirs
{
  private ItDirs() {
  }

  private static boolean cleaned;

  /**
   * Root for Nix client homes, generated expressions, throwaway stores and static caches. The first call
   * of a JVM removes the throwaway parts an earlier run left (each run writes a few hundred MB of stores
   * and caches, which would pile up without {@code mvn clean}); the generated closure stays.
   */
  public static synchronized Path nixWorkDir() {
    Path dir = mkdirs(Paths.get(System.getProperty("nix.it.workDir", "target/nix-it")).toAbsolutePath());
    if (!cleaned) {
      cleaned = true;
      deleteTree(dir.resolve("tmp"));
      deleteTree(dir.resolve("clients"));
    }
    return dir;
  }

  /** A new, empty directory under {@link #nixWorkDir()}, e.g. for a throwaway store. */
  public static Path newTempDir(final String prefix) {
    try {
      return Files.createTempDirectory(mkdirs(nixWorkDir().resolve("tmp")), prefix + "-");
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path mkdirs(final Path dir) {
    try {
      return Files.createDirectories(dir);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes a tree. Store directories written by Nix contain read-only directories, so permissions
   * are restored before deleting (the suite runs as root here, but not necessarily elsewhere).
   */
  public static void deleteTree(final Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>()
      {
        @Override
        public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs) {
          dir.toFile().setWritable(true, true);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(final Path dir, final IOException exc) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    }
    catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
