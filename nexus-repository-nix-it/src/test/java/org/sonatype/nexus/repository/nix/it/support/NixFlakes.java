package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The flake commands of a real Nix CLI (flakes enabled by {@link NixClient#BASE_CONFIG}), each asserting
 * success. {@code registry} is a {@code flake-registry} URL, passed as {@code --option flake-registry}, or null for
 * commands that must not need one.
 */
public final class NixFlakes
{
  private NixFlakes() {
  }

  /** {@code nix flake metadata --json <ref>} */
  public static JsonNode metadata(final NixClient nix, final String registry, final String ref) {
    return Json.parse(run(nix, registry, "flake", "metadata", "--json", ref).assertSuccess().stdout());
  }

  /** {@code nix build --no-link --json <installable>}: the text of the file it built, trimmed. */
  public static String build(final NixClient nix, final String registry, final String installable) {
    return readBuilt(nix, run(nix, registry, "build", "--no-link", "--json", installable).assertSuccess());
  }

  /** The text of the file a successful {@code nix build --json} of {@code nix} built, trimmed. */
  public static String readBuilt(final NixClient nix, final NixClient.Result build) {
    String out = Json.parse(build.stdout()).get(0).get("outputs").get("out").asText();
    try {
      return Files.readString(nix.hostPath(out)).trim();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code nix hash path <dir>}: the narHash Nix records for a tarball that unpacks to {@code dir}. */
  public static String hashPath(final NixClient nix, final Path dir) {
    return nix.run("nix", "hash", "path", dir.toString()).assertSuccess().stdout().trim();
  }

  /** Runs {@code nix <args...> [--option flake-registry <registry>]}, whatever its outcome. */
  public static NixClient.Result run(final NixClient nix, final String registry, final String... args) {
    return nix.run(command(registry, args), NixClient.DEFAULT_TIMEOUT);
  }

  /** {@code nix <args...> [--option flake-registry <registry>]} */
  public static List<String> command(final String registry, final String... args) {
    List<String> command = new ArrayList<>();
    command.add("nix");
    command.addAll(List.of(args));
    if (registry != null) {
      command.addAll(List.of("--option", "flake-registry", registry));
    }
    return command;
  }
}
