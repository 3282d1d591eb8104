package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;

import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.HashingInputStream;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemory;
import org.sonatype.nexus.repository.nix.protocol.nar.NarSerializer;
import org.sonatype.nexus.repository.nix.protocol.tar.SourceTree.Node;
import org.sonatype.nexus.repository.nix.protocol.tar.SourceTree.Type;
import org.sonatype.nexus.repository.nix.protocol.tar.SourceTree;
import org.sonatype.nexus.repository.nix.protocol.tar.TarballLimits;
import org.sonatype.nexus.repository.nix.protocol.tar.TarballReader;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Checks that a file is a flake source tarball Nix can use, and measures it as Nix will: a tar archive (gzip, xz or
 * zstd) holding exactly one top-level directory with a {@code flake.nix} in it. Nix 2.8 refuses a tarball whose
 * unpacked top level is not exactly one entry ("contains an unexpected number of top-level files"), and a flake
 * without {@code flake.nix} is no flake.
 *
 * The NAR hash of the top-level directory is what Nix records as the input's {@code narHash}: the archive is
 * unpacked into a {@link SourceTree} (file bytes in a spool file under the given directory, never in memory), then
 * serialised as a NAR in Nix's order and hashed. Entries Nix cannot put in a NAR (devices, FIFOs) are refused, as
 * are entries escaping the archive and archives beyond the {@link TarballLimits} ({@link TarballReader}),
 * and archives whose result would depend on the unpacking order ({@link SourceTree}).
 */
public final class FlakeTarballs
{
  public static final String FLAKE_NIX = "flake.nix";

  private FlakeTarballs() {
  }

  /**
   * Reads a whole tarball, checks it and measures it.
   *
   * @param compressed         the file as uploaded; closed when done
   * @param archive            the format its name says it is in
   * @param temporaryDirectory where file contents are spooled while the tree is built (deleted before returning)
   * @throws NixFormatException if it is not a flake tarball, saying why
   * @throws IOException        if reading {@code compressed} or the spool fails
   */
  public static FlakeSource read(final InputStream compressed, final FlakeArchive archive,
                                 final Path temporaryDirectory) throws IOException
  {
    return read(compressed, archive, temporaryDirectory, TarballLimits.DEFAULT);
  }

  /** {@link #read(InputStream, FlakeArchive, Path)} within other limits. */
  static FlakeSource read(final InputStream compressed, final FlakeArchive archive, final Path temporaryDirectory,
                          final TarballLimits limits) throws IOException
  {
    try (SourceTree tree = new SourceTree(temporaryDirectory, limits, DecoderMemory.SHARED)) {
      Unpacker unpacker = new Unpacker(tree);
      TarballReader.read(compressed, archive.compression(), limits, unpacker);
      Node top = topLevelDirectory(tree);
      MessageDigest sha256 = HashingInputStream.newDigest(NixHashType.SHA256);
      CountingOutputStream nar = new CountingOutputStream();
      try (OutputStream out = new BufferedOutputStream(new DigestOutputStream(nar, sha256), 64 * 1024)) {
        new NarSerializer(tree, out).write(top);
      }
      return new FlakeSource(top.name(), NixHash.of(NixHashType.SHA256, sha256.digest()), nar.count,
          unpacker.lastModified, unpacker.entries, tree.unpackedBytes());
    }
  }

  private static Node topLevelDirectory(final SourceTree tree) {
    List<Node> topLevel = tree.root().children();
    if (topLevel.isEmpty()) {
      throw new NixFormatException("the tarball is empty; a flake tarball holds one directory with " + FLAKE_NIX);
    }
    Node top = topLevel.get(0);
    if (top.type() != Type.DIRECTORY) {
      throw new NixFormatException("the tarball's top-level entry " + ChannelNames.quote(top.name())
          + " is not a directory; a flake tarball holds one directory with " + FLAKE_NIX);
    }
    Node flakeNix = top.child(FLAKE_NIX);
    if (flakeNix == null) {
      throw new NixFormatException("the tarball's directory " + ChannelNames.quote(top.name()) + " has no "
          + FLAKE_NIX + "; a flake tarball holds one directory with " + FLAKE_NIX + " at its top");
    }
    if (flakeNix.type() != Type.REGULAR) {
      throw new NixFormatException("the tarball's " + ChannelNames.quote(top.name() + "/" + FLAKE_NIX)
          + " is not a regular file");
    }
    return top;
  }

  /** Builds the tree entry by entry, refusing a second top-level entry as soon as it appears. */
  private static final class Unpacker
      implements TarballReader.EntryHandler
  {
    private final SourceTree tree;

    private String topLevel;

    private int entries;

    private long lastModified;

    Unpacker(final SourceTree tree) {
      this.tree = tree;
    }

    @Override
    public void archiveRoot(final TarArchiveEntry entry) {
      noteModified(entry);
    }

    @Override
    public void entry(final TarArchiveEntry entry, final String name, final InputStream content)
        throws IOException
    {
      entries++;
      String top = SourceTree.segments(name).get(0);
      if (topLevel == null) {
        topLevel = top;
      }
      else if (!topLevel.equals(top)) {
        throw new NixFormatException("the tarball has more than one top-level entry (" + ChannelNames.quote(topLevel)
            + ", " + ChannelNames.quote(top) + "); a flake tarball holds exactly one top-level directory, with "
            + FLAKE_NIX + " in it");
      }
      noteModified(entry);
      tree.add(entry, name, content);
    }

    private void noteModified(final TarArchiveEntry entry) {
      lastModified = Math.max(lastModified, Math.floorDiv(entry.getModTime().getTime(), 1000L));
    }
  }

  private static final class CountingOutputStream
      extends OutputStream
  {
    private long count;

    @Override
    public void write(final int b) {
      count++;
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length) {
      count += length;
    }
  }
}
