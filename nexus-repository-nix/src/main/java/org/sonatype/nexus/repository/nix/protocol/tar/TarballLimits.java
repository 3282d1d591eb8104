package org.sonatype.nexus.repository.nix.protocol.tar;

import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

/**
 * What reading one tarball (a channel snapshot, a flake source) may make the repository keep and do, and so what a
 * tarball may hold. Each limit is far beyond what an honest archive needs and refuses an archive as soon as it is
 * crossed, with a message that names it, before anything is stored. Together they bound one archive's heap and CPU
 * whatever its compression ratio:
 * <ul>
 * <li>heap: the tree of names ({@link SourceTree}) holds at most {@link #maxNodes()} nodes of about 40 bytes and
 * {@link #maxKeptNameBytes()} of names and symlink targets; the tar reader holds at most
 * {@link #maxEntryHeaderBytes()} of one entry's headers; the decoder's window is bounded by {@link Compression} and
 * shared with every other decoder ({@link DecoderMemory});</li>
 * <li>CPU: work is linear in what the archive declares and holds, and that is bounded: {@link #maxEntries()} entries,
 * {@link #maxHeaderBytes()} of long names and pax headers (parsed byte by byte), names of at most
 * {@link #maxNameBytes()} and {@link #maxDepth()} levels (walked per entry), {@link #maxUnpackedBytes()} of file
 * data (hard links counted once per name, as the NAR of the unpacked tree holds them) and
 * {@link #maxTrailingBytes()} after the end of the archive.</li>
 * </ul>
 */
public final class TarballLimits
{
  private static final int KIB = 1 << 10;

  private static final int MIB = 1 << 20;

  /**
   * The limits every tarball is read with: nixpkgs, the largest source published as a channel or flake, is well
   * inside each (tens of thousands of entries, a few hundred MiB, names of a few dozen bytes, a dozen levels).
   */
  public static final TarballLimits DEFAULT = new TarballLimits(250_000, 250_000, 4095, 256, 8 * MIB, 64 * KIB,
      32 * MIB, 2L << 30, 16 * MIB);

  private final int maxEntries;

  private final int maxNodes;

  private final int maxNameBytes;

  private final int maxDepth;

  private final int maxKeptNameBytes;

  private final int maxEntryHeaderBytes;

  private final long maxHeaderBytes;

  private final long maxUnpackedBytes;

  private final int maxTrailingBytes;

  TarballLimits(final int maxEntries, final int maxNodes, final int maxNameBytes, final int maxDepth,
                final int maxKeptNameBytes, final int maxEntryHeaderBytes, final long maxHeaderBytes,
                final long maxUnpackedBytes, final int maxTrailingBytes)
  {
    this.maxEntries = maxEntries;
    this.maxNodes = maxNodes;
    this.maxNameBytes = maxNameBytes;
    this.maxDepth = maxDepth;
    this.maxKeptNameBytes = maxKeptNameBytes;
    this.maxEntryHeaderBytes = maxEntryHeaderBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxUnpackedBytes = maxUnpackedBytes;
    this.maxTrailingBytes = maxTrailingBytes;
  }

  /** Archive entries (headers the reader handles); directories named again count each time. */
  public int maxEntries() {
    return maxEntries;
  }

  /**
   * Files, directories and links of the unpacked tree, including the directories that entries' names imply without
   * an entry of their own: what the tree of names keeps in memory.
   */
  public int maxNodes() {
    return maxNodes;
  }

  /** Bytes of an entry's name or a link's target: PATH_MAX (4096) less its terminating NUL. */
  public int maxNameBytes() {
    return maxNameBytes;
  }

  /** Path segments of an entry's name: what every entry costs to place in the tree. */
  public int maxDepth() {
    return maxDepth;
  }

  /** Bytes of all names (one per node) and symlink targets the tree keeps. */
  public int maxKeptNameBytes() {
    return maxKeptNameBytes;
  }

  /** Bytes of one entry's long-name and pax headers, which the tar reader holds in memory at once. */
  public int maxEntryHeaderBytes() {
    return maxEntryHeaderBytes;
  }

  /** Bytes of long-name and pax header data in the whole archive, which the tar reader parses byte by byte. */
  public long maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** Bytes of the unpacked tree's files, a hard link counting its file's size again. */
  public long maxUnpackedBytes() {
    return maxUnpackedBytes;
  }

  /** Bytes after the end-of-archive marker: tar pads to its record size (10 KiB by default), nothing more. */
  public int maxTrailingBytes() {
    return maxTrailingBytes;
  }

  /**
   * Refuses an archive whose files, hard links counted once per name, exceed {@link #maxUnpackedBytes()}: checked
   * from the headers before the data is read, and again as hard links name files once more.
   */
  void checkUnpacked(final long bytes) {
    if (bytes > maxUnpackedBytes) {
      throw new NixFormatException("the tarball unpacks to more than " + describe(maxUnpackedBytes)
          + " (a hard link counts its file again, as the NAR of the unpacked tree holds it)");
    }
  }

  /** "64 KiB", "32 MiB", "2048 MiB", "4095 bytes": how messages state a limit. */
  static String describe(final long bytes) {
    if (bytes >= MIB && bytes % MIB == 0) {
      return (bytes / MIB) + " MiB";
    }
    if (bytes >= KIB && bytes % KIB == 0) {
      return (bytes / KIB) + " KiB";
    }
    return bytes + " bytes";
  }
}
