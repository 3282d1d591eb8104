package org.sonatype.nexus.repository.nix.protocol.flakes;

import org.sonatype.nexus.repository.nix.protocol.NixHash;

import static java.util.Objects.requireNonNull;

/**
 * What a valid flake tarball holds, as Nix will see it once unpacked: the one top-level directory (the flake), the
 * NAR hash of that directory, which Nix records as the input's {@code narHash} in lock files and checks against
 * {@code ?narHash=} in a URL, and its last modification time.
 */
public final class FlakeSource
{
  private final String topLevelDirectory;

  private final NixHash narHash;

  private final long narSize;

  private final long lastModified;

  private final int entries;

  private final long unpackedBytes;

  FlakeSource(
      final String topLevelDirectory,
      final NixHash narHash,
      final long narSize,
      final long lastModified,
      final int entries,
      final long unpackedBytes)
  {
    this.topLevelDirectory = requireNonNull(topLevelDirectory);
    this.narHash = requireNonNull(narHash);
    this.narSize = narSize;
    this.lastModified = lastModified;
    this.entries = entries;
    this.unpackedBytes = unpackedBytes;
  }

  /** The name of the one top-level directory, which holds {@code flake.nix}. */
  public String topLevelDirectory() {
    return topLevelDirectory;
  }

  /** The SHA-256 of the top-level directory serialised as a NAR: {@code nix hash path} of the unpacked flake. */
  public NixHash narHash() {
    return narHash;
  }

  public long narSize() {
    return narSize;
  }

  /**
   * The newest modification time (seconds since the epoch) of any entry in the archive, which is what current Nix
   * records as a tarball's {@code lastModified}; 0 if the archive has none.
   */
  public long lastModified() {
    return lastModified;
  }

  /** Number of archive entries, directories included. */
  public int entries() {
    return entries;
  }

  /** Total size of the archive's regular files. */
  public long unpackedBytes() {
    return unpackedBytes;
  }
}
