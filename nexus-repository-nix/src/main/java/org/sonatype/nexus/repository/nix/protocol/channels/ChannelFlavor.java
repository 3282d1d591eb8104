package org.sonatype.nexus.repository.nix.protocol.channels;

import java.util.Locale;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

/**
 * What a channel snapshot's expressions are: a package set ({@code nixpkgs}) or a NixOS release ({@code nixos}),
 * the two kinds channels.nixos.org publishes. The flavor is a segment of the snapshot URL and lets one channel
 * name carry both.
 */
public enum ChannelFlavor
{
  NIXPKGS("nixpkgs"),
  NIXOS("nixos");

  private final String segment;

  ChannelFlavor(final String segment) {
    this.segment = segment;
  }

  /** The URL segment, {@code nixpkgs} or {@code nixos}. */
  public String segment() {
    return segment;
  }

  public static boolean isFlavor(final String segment) {
    for (ChannelFlavor flavor : values()) {
      if (flavor.segment.equals(segment)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @throws NixFormatException if {@code segment} is neither {@code nixpkgs} nor {@code nixos}
   */
  public static ChannelFlavor fromSegment(final String segment) {
    for (ChannelFlavor flavor : values()) {
      if (flavor.segment.equals(segment)) {
        return flavor;
      }
    }
    throw new NixFormatException("flavor " + ChannelNames.quote(segment) + " is not valid: it is nixpkgs or nixos");
  }

  /**
   * The flavor of an upstream release directory, from its path: the first directory named {@code nixos} or
   * {@code nixpkgs} ({@code /nixos/23.11/nixos-23.11.7870.205fd4226592} is nixos,
   * {@code /nixpkgs/nixpkgs-24.05pre.0.0} nixpkgs). A path that names neither is a package set.
   */
  public static ChannelFlavor ofReleasePath(final String path) {
    String[] segments = path.split("/");
    // the last segment is the release itself, whose name may well contain "nixos"
    for (int i = 0; i < segments.length - 1; i++) {
      String segment = segments[i].toLowerCase(Locale.ROOT);
      if (isFlavor(segment)) {
        return fromSegment(segment);
      }
    }
    return NIXPKGS;
  }
}
