package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.util.regex.Pattern;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

/**
 * The names and versions of private flakes.
 *
 * A flake's name is its id in the flake registry ({@code nix build <name>#default}), so it follows Nix's own rule
 * for flake ids, {@code [a-zA-Z][a-zA-Z0-9_-]*} ({@code flakeIdRegexS} in Nix): any other name could be published
 * but never resolved. Having no '.', a name can never be mistaken for a tarball file name either.
 *
 * A version is one path segment of the tarball's URL: letters, digits, '.', '_' and '-', starting with a letter
 * or digit (so never "." or ".."). No '+' (semantic versions' build metadata): the version also appears in the
 * query-carrying URLs Nix locks, where a '+' is easily read as a space.
 */
public final class FlakeNames
{
  /** Nix's regular expression for flake ids. */
  public static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]*");

  public static final Pattern VERSION = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");

  /** Far more than any real flake name or version; keeps URLs, component names and versions reasonable. */
  public static final int MAX_LENGTH = 100;

  private FlakeNames() {
  }

  public static boolean isValidName(final String name) {
    return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
  }

  public static boolean isValidVersion(final String version) {
    return version != null && version.length() <= MAX_LENGTH && VERSION.matcher(version).matches();
  }

  /**
   * @return {@code name}, if it may name a flake
   * @throws NixFormatException saying why not
   */
  public static String checkName(final String name) {
    if (!isValidName(name)) {
      throw new NixFormatException("flake name " + ChannelNames.quote(name) + " is not valid: a flake's name is its "
          + "registry id, which starts with a letter and contains only letters, digits, '_' and '-' (Nix's rule for "
          + "flake ids), at most " + MAX_LENGTH + " characters");
    }
    return name;
  }

  /**
   * @return {@code version}, if it may name a flake version
   * @throws NixFormatException saying why not
   */
  public static String checkVersion(final String version) {
    if (!isValidVersion(version)) {
      throw new NixFormatException("flake version " + ChannelNames.quote(version) + " is not valid: versions start "
          + "with a letter or digit and contain only letters, digits, '.', '_' and '-', at most " + MAX_LENGTH
          + " characters");
    }
    return version;
  }
}
