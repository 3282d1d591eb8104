package org.sonatype.nexus.repository.nix.protocol.channels;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemory;
import org.sonatype.nexus.repository.nix.protocol.tar.SourceTree;
import org.sonatype.nexus.repository.nix.protocol.tar.TarballLimits;
import org.sonatype.nexus.repository.nix.protocol.tar.TarballReader;

/**
 * Checks that a file is a channel tarball nix-channel can use: an xz-compressed tar archive whose entries all live
 * in exactly one top-level directory, with a {@code default.nix} at its top. nix-channel's
 * {@code builtin:unpack-channel} refuses anything else ("channel tarball contains more than one file") and renames
 * that directory to the channel's name, so the expressions are its {@code default.nix}: {@code import <channel>}
 * and {@code with import <channel> {}} need it.
 *
 * Entries must also stay inside the archive, be what Nix can store (files, directories, symlinks), name each path
 * once (what Nix unpacks would otherwise depend on their order), and the whole xz stream must be sound: see
 * {@link TarballReader}, which reads it, and {@link SourceTree}, which checks the layout. Symbolic links are left
 * alone: nixpkgs has some, and Nix unpacks into its own store.
 *
 * The check streams: the archive is decompressed once and nothing is kept but the tree of names, within
 * {@link TarballLimits}.
 */
public final class ChannelTarballs
{
  public static final String DEFAULT_NIX = "default.nix";

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
    return check(xz, TarballLimits.DEFAULT);
  }

  /** {@link #check(InputStream)} within other limits. */
  static Summary check(final InputStream xz, final TarballLimits limits) throws IOException {
    try (SourceTree tree = SourceTree.namesOnly(limits, DecoderMemory.SHARED)) {
      Layout layout = new Layout(tree);
      TarballReader.read(xz, Compression.XZ, limits, layout);
      return layout.summary();
    }
  }

  /** Collects the tree while the archive streams past, refusing a second top-level name straight away. */
  private static final class Layout
      implements TarballReader.EntryHandler
  {
    private final SourceTree tree;

    private final Set<String> topLevel = new LinkedHashSet<>();

    private int entries;

    Layout(final SourceTree tree) {
      this.tree = tree;
    }

    @Override
    public void entry(final TarArchiveEntry entry, final String relative, final InputStream content)
        throws IOException
    {
      entries++;
      int slash = relative.indexOf('/');
      String top = slash < 0 ? relative : relative.substring(0, slash);
      boolean topLevelEntryItself = slash < 0 || slash == relative.length() - 1;
      if (topLevelEntryItself && !entry.isDirectory()) {
        throw new NixFormatException("the tarball's top-level entry " + ChannelNames.quote(top)
            + " is not a directory; a channel tarball holds one directory with the expressions (" + DEFAULT_NIX + ")");
      }
      topLevel.add(top);
      if (topLevel.size() > 1) {
        throw new NixFormatException("the tarball has more than one top-level entry (" + describe(topLevel)
            + "); nix-channel needs exactly one top-level directory");
      }
      tree.add(entry, relative, content);
    }

    Summary summary() {
      if (topLevel.isEmpty()) {
        throw new NixFormatException("the tarball is empty; nix-channel needs exactly one top-level directory");
      }
      String top = topLevel.iterator().next();
      SourceTree.Node directory = tree.root().child(top);
      SourceTree.Node defaultNix = directory.child(DEFAULT_NIX);
      if (defaultNix == null) {
        throw new NixFormatException("the tarball's directory " + ChannelNames.quote(top) + " has no " + DEFAULT_NIX
            + "; a channel tarball holds one directory with the expressions, " + DEFAULT_NIX + " at its top");
      }
      if (defaultNix.type() != SourceTree.Type.REGULAR) {
        throw new NixFormatException("the tarball's " + ChannelNames.quote(top + "/" + DEFAULT_NIX)
            + " is not a regular file");
      }
      return new Summary(top, entries, tree.unpackedBytes());
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
