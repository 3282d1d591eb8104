package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real curl, for the commands the documentation gives users ({@code curl -u user:token -T file URL},
 * {@code curl -F ...} against the Components API), so tests prove those exact commands work.
 */
public final class Curl
{
  /** What curl did: the HTTP status of the (last) response and its body. */
  public record Result(List<String> command, int exitCode, int status, String body)
  {
    @Override
    public String toString() {
      return String.join(" ", command) + " -> exit " + exitCode + ", HTTP " + status + ": " + body;
    }
  }

  private Curl() {
  }

  /**
   * Runs {@code curl -sS <args> -w '\n%{http_code}'}.
   *
   * @param args e.g. {@code "-u", "admin:pw", "-T", file, url}
   */
  public static Result run(final String... args) {
    List<String> command = new ArrayList<>(List.of("curl", "-sS"));
    command.addAll(List.of(args));
    command.addAll(List.of("-w", "\n%{http_code}"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out");
      }
      int split = output.lastIndexOf('\n');
      int status = Integer.parseInt(output.substring(split + 1).trim());
      return new Result(command, process.exitValue(), status, output.substring(0, split));
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
