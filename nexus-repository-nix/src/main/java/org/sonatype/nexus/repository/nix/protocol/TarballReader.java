package org.sonatype.nexus.repository.nix.protocol;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a compressed tar archive entry by entry with the rules every tarball this plugin accepts shares (channel
 * snapshots, flake sources):
 * <ul>
 * <li>entries stay inside the archive: no absolute names, no {@code ..} segments, no hard links out of it;</li>
 * <li>{@code ./} prefixes are dropped and the {@code ./} entry itself (the directory the archive is unpacked into)
 * is skipped, as are global pax headers (git archive writes one: metadata, not an entry);</li>
 * <li>the whole compressed stream is read, so a truncated or corrupt tarball, or bytes after it, is refused;</li>
 * <li>bad data is a {@link NixFormatException} saying what is wrong, while a failing source (a broken upload, a
 * disk error) stays an {@link IOException}: only the former is the sender's fault.</li>
 * </ul>
 * Symbolic links are left alone (recorded, never followed): Nix unpacks into its own store.
 */
public final class TarballReader
{
  /** Receives the archive's entries in archive order. */
  @FunctionalInterface
  public interface EntryHandler
  {
    /**
     * @param entry   the tar entry (type, mode, size, link name, mtime)
     * @param name    its name relative to the archive root, without {@code ./} prefixes; never empty
     * @param content the entry's data (for regular files), readable until the next entry
     */
    void entry(TarArchiveEntry entry, String name, InputStream content) throws IOException;

    /**
     * The archive's {@code ./} entry, if it has one: the directory the archive is unpacked into, not an entry of
     * its own, but Nix still counts its mtime among the archive's.
     */
    default void archiveRoot(final TarArchiveEntry entry) {
    }
  }

  private TarballReader() {
  }

  /**
   * Reads a whole tarball.
   *
   * @param compressed the file as uploaded or fetched; closed when done
   * @throws NixFormatException if it is not {@code compression}-compressed, not tar, or breaks a rule above, or the
   *                            handler refuses an entry
   * @throws IOException        if reading {@code compressed} itself fails
   */
  public static void read(final InputStream compressed, final Compression compression, final EntryHandler handler)
      throws IOException
  {
    RememberingFailures source = new RememberingFailures(compressed);
    try (InputStream tarStream = compression.decompress(source)) {
      readArchive(tarStream, handler);
      // the tar reader stops at the end-of-archive blocks; the rest must still decompress cleanly to the end
      drain(tarStream);
    }
    catch (CorruptDataException e) {
      throw new NixFormatException("not " + describe(compression) + " tarball: " + e.getMessage(), e);
    }
    catch (NixFormatException e) {
      throw e;
    }
    catch (IOException e) {
      if (source.failure != null) {
        throw source.failure;
      }
      // the tar reader's own complaints (a bad header, a checksum) are about the data, not the source
      throw new NixFormatException("not a tar archive: " + e.getMessage(), e);
    }
  }

  private static void readArchive(final InputStream tarStream, final EntryHandler handler) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(tarStream, StandardCharsets.UTF_8.name());
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      if (entry.isGlobalPaxHeader()) {
        continue;
      }
      String name = entry.getName();
      checkInside(name, "entry");
      if (entry.isLink()) {
        checkInside(entry.getLinkName(), "hard link target of " + ChannelNames.quote(name) + ":");
      }
      String relative = stripDotSlash(name);
      if (relative.isEmpty()) {
        handler.archiveRoot(entry);
        continue;
      }
      handler.entry(entry, relative, tar);
    }
  }

  /** "an xz-compressed", "a gzip-compressed", ... */
  private static String describe(final Compression compression) {
    String name = compression.nixName();
    boolean vowelSound = name.startsWith("x") || "aeiou".indexOf(name.charAt(0)) >= 0;
    return (vowelSound ? "an " : "a ") + name + "-compressed";
  }

  private static void checkInside(final String name, final String what) {
    if (name.startsWith("/")) {
      throw new NixFormatException("the tarball's " + what + " " + ChannelNames.quote(name)
          + " is an absolute path; entries must stay inside the archive");
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        throw new NixFormatException("the tarball's " + what + " " + ChannelNames.quote(name)
            + " has a '..' segment; entries must stay inside the archive");
      }
    }
  }

  /** {@code ./a/b} and {@code ././a/b} are {@code a/b}; {@code ./} and {@code .} are "". */
  static String stripDotSlash(final String name) {
    String rest = name;
    while (rest.startsWith("./")) {
      rest = rest.substring(2);
    }
    return rest.equals(".") ? "" : rest;
  }

  private static void drain(final InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (in.read(buffer) >= 0) {
      // reading to the end makes the decoder check the stream's integrity and what follows it
    }
  }

  /**
   * Tells a failing source (a broken upload, a disk error) from bad data: only the latter is the sender's fault.
   */
  private static final class RememberingFailures
      extends FilterInputStream
  {
    private IOException failure;

    RememberingFailures(final InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      }
      catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      try {
        return in.read(buffer, offset, length);
      }
      catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(final long n) throws IOException {
      try {
        return in.skip(n);
      }
      catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }
}
