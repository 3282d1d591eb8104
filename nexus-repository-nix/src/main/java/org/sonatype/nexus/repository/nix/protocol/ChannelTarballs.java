package org.sonatype.nexus.repository.nix.protocol;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Checks that a file is a channel tarball nix-channel can use: an xz-compressed tar archive whose entries all live
 * in exactly one top-level directory. nix-channel's {@code builtin:unpack-channel} refuses anything else ("channel
 * tarball contains more than one file") and renames that directory to the channel's name, so the expressions are
 * its {@code default.nix}.
 *
 * Entries must also stay inside the archive: no absolute names, no {@code ..} segments, and no hard links to names
 * outside it. Symbolic links are left alone: nixpkgs has some, and Nix unpacks into its own store.
 *
 * The check streams: the archive is decompressed once and nothing is kept but the top-level names. The whole xz
 * stream is read, so a truncated or corrupt tarball (or trailing bytes) is refused too.
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
    RememberingFailures source = new RememberingFailures(xz);
    try (InputStream tarStream = Compression.XZ.decompress(source)) {
      Summary summary = checkArchive(tarStream);
      // the tar reader stops at the end-of-archive blocks; the rest must still decompress cleanly to the end
      drain(tarStream);
      return summary;
    }
    catch (CorruptDataException e) {
      throw new NixFormatException("not an xz-compressed tarball: " + e.getMessage(), e);
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

  private static Summary checkArchive(final InputStream tarStream) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(tarStream, StandardCharsets.UTF_8.name());
    Set<String> topLevel = new LinkedHashSet<>();
    int entries = 0;
    long bytes = 0;
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      if (entry.isGlobalPaxHeader()) {
        // metadata for the entries that follow (git archive writes one), not an entry of the archive
        continue;
      }
      entries++;
      String name = entry.getName();
      checkInside(name, "entry");
      if (entry.isLink()) {
        checkInside(entry.getLinkName(), "hard link target of " + ChannelNames.quote(name) + ":");
      }
      String relative = stripDotSlash(name);
      if (relative.isEmpty()) {
        // "./": the directory the archive is unpacked into, not an entry of its own
        continue;
      }
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
    if (topLevel.isEmpty()) {
      throw new NixFormatException("the tarball is empty; nix-channel needs exactly one top-level directory");
    }
    return new Summary(topLevel.iterator().next(), entries, bytes);
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
  private static String stripDotSlash(final String name) {
    String rest = name;
    while (rest.startsWith("./")) {
      rest = rest.substring(2);
    }
    return rest.equals(".") ? "" : rest;
  }

  private static String describe(final Set<String> names) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      text.append(text.length() == 0 ? "" : ", ").append(ChannelNames.quote(name));
    }
    return text.toString();
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
