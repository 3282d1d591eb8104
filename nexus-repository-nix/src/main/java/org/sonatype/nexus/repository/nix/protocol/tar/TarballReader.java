package org.sonatype.nexus.repository.nix.protocol.tar;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.CorruptDataException;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemory;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;

/**
 * Reads a compressed tar archive entry by entry with the rules every tarball this plugin accepts shares (channel
 * snapshots, flake sources):
 * <ul>
 * <li>the archive is one Nix can unpack: every header's checksum is right (Nix's libarchive refuses a damaged
 * archive, Commons Compress alone does not check), no header or entry is cut short;</li>
 * <li>entries are regular files, directories, symlinks or hard links: devices, FIFOs, sparse files and tar types
 * Nix does not unpack as one of those (volume labels, GNU dump directories, ...) are refused, and only regular files
 * carry data;</li>
 * <li>entries stay inside the archive: no absolute names, no {@code ..} segments, no hard links out of it; names
 * are UTF-8 and no segment is longer than the 255 bytes a file system takes;</li>
 * <li>{@code ./} prefixes are dropped and the {@code ./} entry itself (the directory the archive is unpacked into)
 * is skipped, as are global pax headers (git archive writes one: metadata, not an entry);</li>
 * <li>{@link TarballLimits} bound what one archive may make the repository keep and do: entries, header bytes per
 * entry and in all, name length and depth, unpacked bytes (refused from the headers, before the data is read), bytes
 * after the end-of-archive marker; the handler's tree bounds the rest;</li>
 * <li>the whole compressed stream is read, so a truncated or corrupt tarball, or bytes after it, is refused;</li>
 * <li>bad data is a {@link NixFormatException} saying what is wrong, while a failing source (a broken upload, a
 * disk error) stays an {@link IOException}, and a decoder that could not get its memory a
 * {@link DecoderMemoryException}: only the former is the sender's fault.</li>
 * </ul>
 * Symbolic links are left alone (recorded, never followed): Nix unpacks into its own store.
 */
public final class TarballReader
{
  /** NAME_MAX of the file systems Nix unpacks to. */
  public static final int MAX_NAME_SEGMENT_BYTES = 255;

  /** Receives the archive's entries in archive order. */
  @FunctionalInterface
  public interface EntryHandler
  {
    /**
     * @param entry   the tar entry (type, mode, size, link name, mtime): a regular file, directory, symlink or hard
     *                link, and only a regular file has data
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
    read(compressed, compression, TarballLimits.DEFAULT, handler);
  }

  /** {@link #read(InputStream, Compression, EntryHandler)} within other limits. */
  public static void read(final InputStream compressed, final Compression compression, final TarballLimits limits,
                   final EntryHandler handler) throws IOException
  {
    RememberingFailures source = new RememberingFailures(compressed);
    try (InputStream tarStream = compression.decompress(source)) {
      Budget budget = new Budget(tarStream);
      readArchive(new CheckedTarInputStream(budget, limits), budget, limits, handler);
      // the tar reader stops at the end-of-archive blocks; the rest must still decompress cleanly to the end
      budget.limit(limits.maxTrailingBytes(), () -> new NixFormatException("the tarball has more than "
          + TarballLimits.describe(limits.maxTrailingBytes()) + " after its end-of-archive marker"));
      drain(budget, new byte[64 * 1024]);
    }
    catch (CorruptDataException e) {
      throw new NixFormatException("not " + describe(compression) + " tarball: " + e.getMessage(), e);
    }
    catch (NixFormatException | DecoderMemoryException e) {
      throw e;
    }
    catch (DecoderMemory.Exhausted e) {
      // the handler's tree could not get its memory
      throw new DecoderMemoryException(e.getMessage(), e);
    }
    catch (IOException e) {
      if (source.failure != null) {
        throw source.failure;
      }
      // the tar reader's own complaints (a bad header, a checksum) are about the data, not the source
      throw new NixFormatException("not a tar archive: " + e.getMessage(), e);
    }
  }

  private static void readArchive(final CheckedTarInputStream tar, final Budget budget, final TarballLimits limits,
                                  final EntryHandler handler) throws IOException
  {
    int entries = 0;
    long dataBytes = 0;
    byte[] buffer = new byte[64 * 1024];
    while (true) {
      // what the tar reader reads now is the padding of the previous entry (its data was read below) and the
      // headers of the next one, which it keeps in memory: long names, pax headers
      budget.limit(limits.maxEntryHeaderBytes() + (long) TarConstants.DEFAULT_BLKSIZE, () -> new NixFormatException(
          "the tarball has more than " + TarballLimits.describe(limits.maxEntryHeaderBytes()) + " of headers (long "
              + "names, pax headers) for one entry"));
      TarArchiveEntry entry = tar.getNextEntry();
      budget.unlimited();
      if (entry == null) {
        return;
      }
      if (entry.isGlobalPaxHeader()) {
        continue;
      }
      if (++entries > limits.maxEntries()) {
        throw new NixFormatException("the tarball has more than " + limits.maxEntries() + " entries");
      }
      String name = entry.getName();
      checkLength(name, "entry", limits);
      checkType(entry, name);
      tar.checkHeaderEncoding(entry);
      checkName(name, "entry", limits);
      if (entry.isLink()) {
        checkLength(entry.getLinkName(), "hard link target of " + ChannelNames.quote(name) + ":", limits);
        checkInside(entry.getLinkName(), "hard link target of " + ChannelNames.quote(name) + ":");
      }
      if ((entry.isLink() || entry.isSymbolicLink()) && entry.getLinkName().indexOf('\uFFFD') >= 0) {
        throw new NixFormatException("the tarball's link " + ChannelNames.quote(name) + " has a target that is not "
            + "valid UTF-8");
      }
      if (entry.isSymbolicLink()
          && entry.getLinkName().getBytes(StandardCharsets.UTF_8).length > limits.maxNameBytes())
      {
        throw new NixFormatException("the tarball's symlink " + ChannelNames.quote(name) + " has a target longer "
            + "than " + limits.maxNameBytes() + " bytes (PATH_MAX)");
      }
      long size = Math.max(entry.getSize(), entry.getRealSize());
      dataBytes += size;
      limits.checkUnpacked(dataBytes);
      String relative = stripDotSlash(name);
      if (relative.isEmpty()) {
        if (name.isEmpty()) {
          throw new NixFormatException("the tarball has an entry without a name");
        }
        if (!entry.isDirectory()) {
          throw new NixFormatException("the tarball's entry " + ChannelNames.quote(name) + " is not a directory; "
              + "it names the directory the archive is unpacked into");
        }
        handler.archiveRoot(entry);
        continue;
      }
      handler.entry(entry, relative, tar);
      // what the handler left of the data, so that the budget above counts headers only
      drain(tar, buffer);
    }
  }

  /**
   * Regular files ({@code 0}, NUL, {@code 7}), directories, symlinks and hard links; only regular files with data.
   * Other types are unpacked differently by different tar readers (a GNU volume label is skipped by libarchive, a
   * file to Commons Compress), so the repository could not tell what Nix sees.
   */
  private static void checkType(final TarArchiveEntry entry, final String name) {
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      throw new NixFormatException("the tarball's entry " + ChannelNames.quote(name) + " is a device or FIFO; "
          + "Nix stores only files, directories and symlinks");
    }
    if (entry.isSparse() || entry.isPaxGNU1XSparse()) {
      throw new NixFormatException("the tarball's entry " + ChannelNames.quote(name) + " is a sparse file; "
          + "pack it without --sparse");
    }
    byte type = entry.getLinkFlag();
    String what;
    switch (type) {
      case '0':
      case 0:
      case '7':
        what = entry.isDirectory() ? "directory" : null;
        break;
      case '5':
        what = "directory";
        break;
      case '2':
        what = "symlink";
        break;
      case '1':
        what = "hard link";
        break;
      default:
        throw new NixFormatException("the tarball's entry " + ChannelNames.quote(name) + " is of tar type "
            + ChannelNames.quote(String.valueOf((char) (type & 0xff))) + ", not a file, directory, symlink or hard "
            + "link");
    }
    if (what != null && entry.getSize() != 0) {
      throw new NixFormatException("the tarball's " + what + " " + ChannelNames.quote(name) + " carries "
          + entry.getSize() + " bytes of data; only regular files have data");
    }
  }

  /** First of all, before a name is split or walked: PATH_MAX. */
  private static void checkLength(final String name, final String what, final TarballLimits limits) {
    // a UTF-8 character takes at most 3 bytes per UTF-16 unit: most names need no encoding to be counted
    if ((long) name.length() * 3 <= limits.maxNameBytes()) {
      return;
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxNameBytes()) {
      throw new NixFormatException("the tarball's " + what + " " + ChannelNames.quote(name) + " has a name of "
          + bytes + " bytes; at most " + limits.maxNameBytes() + " (PATH_MAX)");
    }
  }

  private static void checkName(final String name, final String what, final TarballLimits limits) {
    checkInside(name, what);
    if (name.indexOf('\uFFFD') >= 0) {
      throw new NixFormatException("the tarball's " + what + " " + ChannelNames.quote(name) + " has a name that is "
          + "not valid UTF-8");
    }
    int depth = 0;
    for (String segment : name.split("/")) {
      int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_NAME_SEGMENT_BYTES) {
        throw new NixFormatException("the tarball's " + what + " " + ChannelNames.quote(name) + " has a name "
            + "segment of " + bytes + " bytes; file systems take at most " + MAX_NAME_SEGMENT_BYTES);
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        depth++;
      }
    }
    if (depth > limits.maxDepth()) {
      throw new NixFormatException("the tarball's " + what + " " + ChannelNames.quote(name) + " is " + depth
          + " levels deep; at most " + limits.maxDepth());
    }
  }

  private static boolean isUtf8(final byte[] bytes, final int offset, final int length) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length));
      return true;
    }
    catch (CharacterCodingException e) {
      return false;
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
  public static String stripDotSlash(final String name) {
    String rest = name;
    while (rest.startsWith("./")) {
      rest = rest.substring(2);
    }
    return rest.equals(".") ? "" : rest;
  }

  private static void drain(final InputStream in, final byte[] buffer) throws IOException {
    while (in.read(buffer) >= 0) {
      // reading to the end makes the decoder check the stream's integrity and what follows it
    }
  }

  /**
   * Commons Compress's tar reader, made as strict as Nix's (libarchive): a header with a wrong checksum is a damaged
   * archive, not an entry with odd fields, and an archive that ends inside a header is truncated, not finished.
   * Unchecked exceptions of the reader about data it cannot make sense of become I/O errors, that is refusals.
   */
  private static final class CheckedTarInputStream
      extends TarArchiveInputStream
  {
    /** The next record is an old GNU sparse extension header, which has no checksum (refused afterwards). */
    private boolean sparseExtensionNext;

    /** The last header record that was not a pax or GNU long-name header: the current entry's own. */
    private final byte[] entryHeader = new byte[TarConstants.DEFAULT_RCDSIZE];

    private final TarballLimits limits;

    /** Bytes of long-name and pax header data so far. */
    private long extendedHeaderBytes;

    CheckedTarInputStream(final InputStream in, final TarballLimits limits) {
      super(in, StandardCharsets.UTF_8.name());
      this.limits = limits;
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
      try {
        return super.getNextEntry();
      }
      catch (NixFormatException e) {
        throw e;
      }
      catch (RuntimeException e) {
        throw new IOException("a header it cannot read", e);
      }
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      }
      catch (NixFormatException e) {
        throw e;
      }
      catch (RuntimeException e) {
        throw new IOException("an entry it cannot read", e);
      }
    }

    /** Called with every header record the reader reads (and with the record after a first zero record). */
    @Override
    protected boolean isEOFRecord(final byte[] record) {
      boolean end = super.isEOFRecord(record);
      if (end || isAtEOF()) {
        return end;
      }
      if (sparseExtensionNext) {
        sparseExtensionNext = record[504] != 0;
        return false;
      }
      boolean sound;
      try {
        sound = TarUtils.verifyCheckSum(record);
      }
      catch (IllegalArgumentException e) {
        // the checksum field is not even a number
        sound = false;
      }
      if (!sound) {
        throw new NixFormatException("not a tar archive: the header at byte " + (getBytesRead() - record.length)
            + " has a wrong checksum (the archive is damaged)");
      }
      sparseExtensionNext = record[156] == 'S' && record[482] != 0;
      if ("xgXLK".indexOf(record[156]) < 0) {
        System.arraycopy(record, 0, entryHeader, 0, entryHeader.length);
      }
      else {
        countExtendedHeader(record);
      }
      return false;
    }

    /** Long names and pax headers are parsed a byte at a time: their total is what bounds that work. */
    private void countExtendedHeader(final byte[] record) {
      long size;
      try {
        size = TarUtils.parseOctalOrBinary(record, 124, 12);
      }
      catch (IllegalArgumentException e) {
        // the reader refuses the header itself
        return;
      }
      extendedHeaderBytes += Math.max(size, 0);
      if (extendedHeaderBytes > limits.maxHeaderBytes()) {
        throw new NixFormatException("the tarball has more than " + TarballLimits.describe(limits.maxHeaderBytes())
            + " of long names and pax headers in all");
      }
    }

    /** A GNU long name or link target: its bytes are the name, which must be UTF-8. */
    @Override
    protected byte[] getLongNameData() throws IOException {
      byte[] name = super.getLongNameData();
      if (name != null && !isUtf8(name, 0, name.length)) {
        throw new NixFormatException("the tarball has a GNU long name that is not valid UTF-8 ("
            + ChannelNames.quote(new String(name, StandardCharsets.UTF_8)) + ")");
      }
      return name;
    }

    /**
     * Refuses an entry whose name or link target comes from its own header, where it is not UTF-8: the reader shows
     * such bytes as '?', so the name would not be the one Nix unpacks (and a flake's NAR hash would be wrong). Names
     * from pax headers show them as U+FFFD, which the name checks refuse.
     */
    void checkHeaderEncoding(final TarArchiveEntry entry) {
      int nameLength = fieldLength(0, 100);
      int prefixLength = fieldLength(345, 155);
      if (!isUtf8(entryHeader, 0, nameLength) || !isUtf8(entryHeader, 345, prefixLength)) {
        String headerName = new String(entryHeader, 0, nameLength, StandardCharsets.UTF_8).replace('\uFFFD', '?');
        String name = entry.getName();
        String bare = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        String bareHeaderName = headerName.endsWith("/") ? headerName.substring(0, headerName.length() - 1)
            : headerName;
        if (bare.endsWith(bareHeaderName)) {
          throw new NixFormatException("the tarball's entry " + ChannelNames.quote(name) + " has a name that is not "
              + "valid UTF-8");
        }
      }
      int linkLength = fieldLength(157, 100);
      if (!isUtf8(entryHeader, 157, linkLength) && entry.getLinkName().equals(
          new String(entryHeader, 157, linkLength, StandardCharsets.UTF_8).replace('\uFFFD', '?')))
      {
        throw new NixFormatException("the tarball's link " + ChannelNames.quote(entry.getName()) + " has a target "
            + "that is not valid UTF-8");
      }
    }

    /** The length of a NUL-terminated field of the entry's header. */
    private int fieldLength(final int offset, final int length) {
      int n = 0;
      while (n < length && entryHeader[offset + n] != 0) {
        n++;
      }
      return n;
    }

    @Override
    protected byte[] readRecord() throws IOException {
      long before = getBytesRead();
      byte[] record = super.readRecord();
      if (record == null && getBytesRead() != before && !isAtEOF()) {
        throw new NixFormatException("not a tar archive: it ends inside the header at byte " + before
            + " (the archive is truncated)");
      }
      return record;
    }
  }

  /**
   * Counts what the tar reader takes from the decompressed stream and refuses more than a limit, while one is set.
   */
  private static final class Budget
      extends FilterInputStream
  {
    private long remaining = Long.MAX_VALUE;

    private Supplier<NixFormatException> exceeded;

    Budget(final InputStream in) {
      super(in);
    }

    void limit(final long bytes, final Supplier<NixFormatException> refusal) {
      remaining = bytes;
      exceeded = refusal;
    }

    void unlimited() {
      remaining = Long.MAX_VALUE;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        take(1);
      }
      return b;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      // never far beyond the limit: one byte more than it allows is enough to know
      int allowed = remaining == Long.MAX_VALUE ? length : (int) Math.min(length, remaining + 1);
      int n = in.read(buffer, offset, allowed);
      if (n > 0) {
        take(n);
      }
      return n;
    }

    @Override
    public long skip(final long n) throws IOException {
      // read, so that skipped bytes are counted like read ones
      byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void take(final int n) {
      if (remaining != Long.MAX_VALUE) {
        remaining -= n;
        if (remaining < 0) {
          throw exceeded.get();
        }
      }
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
