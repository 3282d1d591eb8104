package org.sonatype.nexus.repository.nix.protocol.nar;

import java.util.Objects;
import org.sonatype.nexus.repository.nix.protocol.NixHash;

import static java.util.Objects.requireNonNull;

/**
 * What a narinfo claims about a file, measured: the hash and size of the uncompressed NAR ({@code NarHash},
 * {@code NarSize}) and of the bytes as stored ({@code FileHash}, {@code FileSize}). For an uncompressed NAR both
 * pairs are equal. Whether they are what a narinfo claims is {@link NarCheck}'s to say.
 */
public final class NarDigest
{
  private final NixHash narHash;

  private final long narSize;

  private final NixHash fileHash;

  private final long fileSize;

  public NarDigest(final NixHash narHash, final long narSize, final NixHash fileHash, final long fileSize) {
    this.narHash = requireNonNull(narHash, "narHash");
    this.narSize = narSize;
    this.fileHash = requireNonNull(fileHash, "fileHash");
    this.fileSize = fileSize;
  }

  public NixHash narHash() {
    return narHash;
  }

  public long narSize() {
    return narSize;
  }

  public NixHash fileHash() {
    return fileHash;
  }

  public long fileSize() {
    return fileSize;
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NarDigest)) {
      return false;
    }
    NarDigest other = (NarDigest) o;
    return narSize == other.narSize && fileSize == other.fileSize && narHash.equals(other.narHash)
        && fileHash.equals(other.fileHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(narHash, narSize, fileHash, fileSize);
  }

  @Override
  public String toString() {
    return "NarDigest{narHash=" + narHash + ", narSize=" + narSize + ", fileHash=" + fileHash + ", fileSize="
        + fileSize + "}";
  }
}
