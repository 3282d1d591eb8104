package org.sonatype.nexus.repository.nix.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Checks that a file is a channel tarball nix-channel can use: an xz-compressed tar archive whose entries all live
 * in exactly one top-level directory. nix-channel's {@code builtin:unpack-channel} refuses anything else ("channel
 * tarball contains more than one file") and renames that directory to the channel's name, so the expressions are
 * its {@code default.nix}.
 *
 * Entries must also stay inside the archive, and the whole xz stream must be sound: see {@link TarballReader}, which
 * reads it. Symbolic links are left alone: nixpkgs has some, and Nix unpacks into its own store.
 *
 * The check streams: the archive is decompressed once and nothing is kept but the top-level names.
 */
public final class ChannelTarballs
{
  /** What a valid tarball holds. */
  public static final class Summary
  {
    private final String topLevelDirectory;

    private final int entries;

    private final long unpackedBytes;

    Summary(final String topLevelDirectory, final int entries, final long unpackedBytes) {
      this.topLevelDirectory = topLevelDirectory;
      this.entries = entries;
      this.unpackedBytes = unpackedBytes;
    }

    /** The name of the one top-level directory (nix-channel renames it to the channel's name). */
    public String topLevelDirectory() {
      return topLevelDirectory;
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

  private ChannelTarballs() {
  }

  /**
   * Reads a whole tarball and checks it.
   *
   * @param xz the file as uploaded or fetched; closed when done
   * @return what it holds
   * @throws NixFormatException if it is not xz, not tar, or not laid out as nix-channel needs, saying why
   * @throws IOException        if reading {@code xz} itself fails
   */
  public static Summary check(final InputStream xz) throws IOException {
    Layout layout = new Layout();
    TarballReader.read(xz, Compression.XZ, layout);
    return layout.summary();
  }

  /** Collects the top-level names while the archive streams past, refusing a second one straight away. */
  private static final class Layout
      implements TarballReader.EntryHandler
  {
    private final Set<String> topLevel = new LinkedHashSet<>();

    private int entries;

    private long bytes;

    @Override
    public void entry(final TarArchiveEntry entry, final String relative, final InputStream content) {
      entries++;
      int slash = relative.indexOf('/');
      String top = slash < 0 ? relative : relative.substring(0, slash);
      boolean topLevelEntryItself = slash < 0 || slash == relative.length() - 1;
      if (topLevelEntryItself && !entry.isDirectory()) {
        throw new NixFormatException("the tarball's top-level entry " + ChannelNames.quote(top)
            + " is not a directory; a channel tarball holds one directory with the expressions (default.nix)");
      }
      topLevel.add(top);
      if (topLevel.size() > 1) {
        throw new NixFormatException("the tarball has more than one top-level entry (" + describe(topLevel)
            + "); nix-channel needs exactly one top-level directory");
      }
      if (entry.isFile()) {
        bytes += Math.max(entry.getSize(), 0);
      }
    }

    Summary summary() {
      if (topLevel.isEmpty()) {
        throw new NixFormatException("the tarball is empty; nix-channel needs exactly one top-level directory");
      }
      return new Summary(topLevel.iterator().next(), entries, bytes);
    }
  }

  private static String describe(final Set<String> names) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      text.append(text.length() == 0 ? "" : ", ").append(ChannelNames.quote(name));
    }
    return text.toString();
  }
}
