package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** GNU tar, as users make channel and flake tarballs, and the files that go into them. */
final class TarCommand
{
  private TarCommand() {
  }

  /** {@code tar -C root -<mode> <tarball> members...}; the tarball. */
  static Path tar(final Path root, final String mode, final Path tarball, final String... members) {
    List<String> command = new ArrayList<>(List.of("tar", "-C", root.toString(), "-" + mode, tarball.toString()));
    command.addAll(List.of(members));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return tarball;
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code text} to {@code file}, creating its directories. */
  static void write(final Path file, final String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
