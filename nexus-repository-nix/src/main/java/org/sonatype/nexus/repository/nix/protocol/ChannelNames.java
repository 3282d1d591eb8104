package org.sonatype.nexus.repository.nix.protocol;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of channels and their snapshots.
 *
 * Channel names follow nix-channel's own rule for channel identifiers ({@code ^[a-zA-Z0-9_][a-zA-Z0-9_\.-]*$}), so
 * every channel a repository serves can be subscribed to under its own name. Snapshot names follow the same rule:
 * they become one segment of the snapshot URL and, on older clients, the version part of the channel's profile
 * entry ({@code nixos-23.11.7870.205fd4226592}). Neither may be "." or "..", start with '.' or contain '/', so a
 * name can never leave its directory.
 */
public final class ChannelNames
{
  /** nix-channel's regular expression for channel identifiers. */
  public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9_.-]*");

  /** Far more than any real channel or snapshot name; keeps URLs, component names and versions reasonable. */
  public static final int MAX_LENGTH = 200;

  /** The one file of a snapshot: what nix-channel fetches from {@code <snapshot URL>/}. */
  public static final String TARBALL = "nixexprs.tar.xz";

  /**
   * Names nix-channel requests inside a snapshot directory: a snapshot with one of these names could not be told
   * apart from the file of the flavor's latest snapshot.
   */
  private static final Set<String> RESERVED_SNAPSHOT_NAMES = Set.of(TARBALL, "nixexprs.tar.bz2");

  private static final String RULE = "names start with a letter, digit or '_' and contain only letters, digits, "
      + "'_', '.' and '-' (nix-channel's rule), at most " + MAX_LENGTH + " characters";

  private ChannelNames() {
  }

  /** True if {@code name} may name a channel. */
  public static boolean isValidChannel(final String name) {
    return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
  }

  /** True if {@code name} may name a snapshot. */
  public static boolean isValidSnapshot(final String name) {
    return isValidChannel(name) && !RESERVED_SNAPSHOT_NAMES.contains(name);
  }

  /**
   * @return {@code name}, if it may name a channel
   * @throws NixFormatException saying why not
   */
  public static String checkChannel(final String name) {
    if (!isValidChannel(name)) {
      throw new NixFormatException("channel name " + quote(name) + " is not valid: " + RULE);
    }
    return name;
  }

  /**
   * @return {@code name}, if it may name a snapshot
   * @throws NixFormatException saying why not
   */
  public static String checkSnapshot(final String name) {
    if (name != null && RESERVED_SNAPSHOT_NAMES.contains(name)) {
      throw new NixFormatException("snapshot name " + quote(name) + " is reserved: it names the channel tarball");
    }
    if (!isValidChannel(name)) {
      throw new NixFormatException("snapshot name " + quote(name) + " is not valid: " + RULE);
    }
    return name;
  }

  /** A name as it can safely appear in a message: quoted, control characters escaped, long names cut short. */
  public static String quote(final String name) {
    if (name == null) {
      return "(none)";
    }
    StringBuilder quoted = new StringBuilder("'");
    String shown = NixBase32.abbreviate(name);
    for (int i = 0; i < shown.length(); i++) {
      quoted.append(NixBase32.printable(shown.charAt(i)));
    }
    return quoted.append('\'').toString();
  }
}
