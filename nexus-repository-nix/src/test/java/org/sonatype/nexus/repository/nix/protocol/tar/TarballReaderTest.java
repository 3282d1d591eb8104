package org.sonatype.nexus.repository.nix.protocol.tar;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.TestTarballs;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelTarballs;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemory;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeArchive;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeTarballs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.TestTarballs.channel;
import static org.sonatype.nexus.repository.nix.protocol.TestTarballs.flake;

/**
 * The rules every tarball shares ({@link TarballReader}), found by the generated malformed tarballs of the
 * integration tests (MalformedTarballsIT): what Commons Compress alone reads but Nix's libarchive refuses (damaged
 * headers, archives cut inside a header), what would make the repository and Nix see different files (odd entry
 * types, links and directories carrying data, names that are not UTF-8), and bombs that cost gigabytes of heap, disk
 * or CPU from a few hundred KiB (long names, pax headers, sparse maps, declared sizes, trailing zeros, entries).
 *
 * Headers are written byte by byte here ({@link #header}), so that each case has exactly the field it needs.
 */
class TarballReaderTest
{
  private static final int BLOCK = 512;

  @TempDir
  Path spool;

  // --- what Nix refuses ---------------------------------------------------------------------------

  @Test
  void aHeaderWithAWrongChecksumIsADamagedArchive() {
    byte[] tar = channel("dir").toTar();
    tar[BLOCK + 110] ^= 1;   // the uid of the second entry

    assertRefused(tar, "the header at byte 512 has a wrong checksum");
  }

  @Test
  void aChecksumThatIsNotANumberIsADamagedArchive() {
    byte[] tar = channel("dir").toTar();
    Arrays.fill(tar, 148, 154, (byte) 'x');

    assertRefused(tar, "the header at byte 0 has a wrong checksum");
  }

  @Test
  void anArchiveThatEndsInsideAHeaderIsTruncated() {
    byte[] entries = withoutEndMarker(channel("dir").toTar());
    byte[] tar = concat(entries, Arrays.copyOf(header("dir/more.nix", 0, '0', ""), 100));

    assertRefused(tar, "it ends inside the header at byte " + entries.length);
  }

  @Test
  void anArchiveWithoutEndMarkerEndsAfterItsLastEntry() throws IOException {
    // GNU tar and libarchive read it as complete, and so does Nix
    assertThat(ChannelTarballs.check(xz(withoutEndMarker(channel("dir").toTar()))).entries()).isEqualTo(3);
  }

  // --- what the repository and Nix would see differently --------------------------------------------

  @Test
  void onlyFilesDirectoriesSymlinksAndHardLinksAreEntries() {
    for (char type : new char[]{'V', 'D', 'M', 'N', 'Z', 'I'}) {
      assertRefused(archive(header("dir/odd", 0, type, "")), "'dir/odd' is of tar type '" + type + "'");
    }
    for (char type : new char[]{'3', '4', '6'}) {
      assertRefused(archive(header("dir/dev", 0, type, "")), "'dir/dev' is a device or FIFO");
    }
  }

  @Test
  void onlyRegularFilesCarryData() {
    byte[] data = padded("x".repeat(600).getBytes(StandardCharsets.UTF_8));
    assertRefused(archive(header("dir/link", 600, '2', "default.nix"), data),
        "symlink 'dir/link' carries 600 bytes of data");
    assertRefused(archive(header("dir/hard", 600, '1', "dir/default.nix"), data),
        "hard link 'dir/hard' carries 600 bytes of data");
    assertRefused(archive(header("dir/sub/", 600, '5', ""), data), "directory 'dir/sub/' carries 600 bytes");
  }

  @Test
  void sparseFilesAreRefused() {
    byte[] sparse = header("dir/sparse", 0, 'S', "");
    assertRefused(archive(sparse), "'dir/sparse' is a sparse file");
  }

  @Test
  void anEntryWithoutANameOrADotThatIsNoDirectoryIsRefused() {
    assertRefused(archive(header("", 2, '0', ""), padded(new byte[]{'x', '\n'})), "an entry without a name");
    assertRefused(archive(header(".", 2, '0', ""), padded(new byte[]{'x', '\n'})),
        "the tarball's entry '.' is not a directory");
  }

  @Test
  void aNameSegmentLongerThanAFileSystemTakesIsRefused() throws IOException {
    String ok = "dir/" + "a".repeat(255);
    String tooLong = "dir/" + "a".repeat(256) + "/x";

    assertThat(ChannelTarballs.check(xz(channel("dir").file(ok, "x").toTar())).entries()).isEqualTo(4);
    assertRefused(channel("dir").file(tooLong, "x").toTar(), "has a name segment of 256 bytes");
  }

  @Test
  void namesThatAreNotUtf8AreRefusedWhereverTheyComeFrom() {
    byte[] latin1 = "dir/caf\u00e9.nix".getBytes(StandardCharsets.ISO_8859_1);
    // from the header itself, which Commons Compress would show as "caf?.nix"
    assertRefused(archive(header(latin1, 0, '0', new byte[0])), "has a name that is not valid UTF-8");
    // from a GNU long name
    byte[] longName = concat("dir/".getBytes(StandardCharsets.UTF_8), "x".repeat(120).getBytes(StandardCharsets.UTF_8),
        new byte[]{(byte) 0xff, 0});
    assertRefused(archive(header("././@LongLink", longName.length, 'L', ""), padded(longName),
        header("dir/xxxx", 0, '0', "")), "a GNU long name that is not valid UTF-8");
    // from a pax header, which Commons Compress shows with U+FFFD
    byte[] pax = paxRecord("path", concat("dir/bad-".getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0xc3, '('},
        ".nix".getBytes(StandardCharsets.UTF_8)));
    assertRefused(archive(header("PaxHeaders/x", pax.length, 'x', ""), padded(pax), header("dir/bad", 0, '0', "")),
        "has a name that is not valid UTF-8");
    // a symlink target too
    assertRefused(archive(header("dir/l".getBytes(StandardCharsets.UTF_8), 0, '2', new byte[]{(byte) 0xe9})),
        "has a target that is not valid UTF-8");
  }

  @Test
  void validUtf8NamesAreFine() throws IOException {
    assertThat(ChannelTarballs.check(xz(archive(header("dir/caf\u00e9-\u65e5\u672c.nix", 0, '0', ""))))
        .entries()).isEqualTo(4);
  }

  // --- bombs -----------------------------------------------------------------------------------------

  @Test
  void aDeclaredSizeBeyondTheLimitIsRefusedBeforeTheDataIsRead() {
    Counting source = new Counting(concat(withoutEndMarker(channel("dir").toTar()), header("dir/zeros", 3L << 30, '0', "")),
        (byte) 0);

    assertThatThrownBy(() -> TarballReader.read(source, Compression.NONE, (entry, name, content) -> { }))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("the tarball unpacks to more than 2048 MiB");
    assertThat(source.count).isLessThan(1 << 20);
  }

  @Test
  void sizesAddUp() {
    byte[] first = header("dir/a", 1L << 30, '0', "");
    Counting source = new Counting(first, (byte) 0);
    List<String> names = new ArrayList<>();
    // the second file's header comes after a GiB of zeros: counted by the same limit
    InputStream tar = new SequenceInputStream(source.limited((1L << 30) + BLOCK),
        new ByteArrayInputStream(concat(header("dir/b", (1L << 30) + 1, '0', ""))));

    assertThatThrownBy(() -> TarballReader.read(tar, Compression.NONE, (entry, name, content) -> names.add(name)))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("the tarball unpacks to more than 2048 MiB");
    assertThat(names).containsExactly("dir/a");
  }

  @Test
  void aGnuLongNameOfAGibibyteIsRefusedFromItsHeader() {
    assertHeaderBomb(header("././@LongLink", 1L << 30, 'L', ""), (byte) 'a',
        "more than 32 MiB of long names and pax headers in all");
  }

  @Test
  void aPaxHeaderOfAGibibyteIsRefusedFromItsHeader() {
    byte[] start = concat(header("PaxHeaders/x", (1L << 30) + 17, 'x', ""),
        ((1L << 30) + 17 + " path=").getBytes(StandardCharsets.UTF_8));
    assertHeaderBomb(start, (byte) 'a', "more than 32 MiB of long names and pax headers in all");
  }

  @Test
  void aPaxHeaderOfAMegabyteIsRefusedAfter64KiB() {
    byte[] start = concat(header("PaxHeaders/x", (1L << 20) + 17, 'x', ""),
        ((1L << 20) + 17 + " path=").getBytes(StandardCharsets.UTF_8));
    assertHeaderBomb(start, (byte) 'a', "more than 64 KiB of headers (long names, pax headers) for one entry");
  }

  @Test
  void aSparseMapOfMillionsOfRegionsIsRefusedAfter64KiB() {
    byte[] pax = concat(paxRecord("GNU.sparse.major", "1".getBytes(StandardCharsets.UTF_8)),
        paxRecord("GNU.sparse.minor", "0".getBytes(StandardCharsets.UTF_8)),
        paxRecord("GNU.sparse.name", "dir/s".getBytes(StandardCharsets.UTF_8)),
        paxRecord("GNU.sparse.realsize", "1000".getBytes(StandardCharsets.UTF_8)));
    byte[] start = concat(header("PaxHeaders/x", pax.length, 'x', ""), padded(pax),
        header("dir/GNUSparseFile.0/s", 1L << 30, '0', ""), "100000000\n".getBytes(StandardCharsets.UTF_8));
    Counting source = new Counting(start, "0\n".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> TarballReader.read(source, Compression.NONE, (entry, name, content) -> { }))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("more than 64 KiB of headers");
    assertThat(source.count).isLessThan(3 << 20);
  }

  @Test
  void gigabytesAfterTheEndOfTheArchiveAreRefusedAfter16Mebibytes() {
    Counting source = new Counting(channel("dir").toTar(), (byte) 0);

    assertThatThrownBy(() -> TarballReader.read(source, Compression.NONE, (entry, name, content) -> { }))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("more than 16 MiB after its end-of-archive marker");
    assertThat(source.count).isLessThan(20 << 20);
  }

  @Test
  void moreThan250000EntriesAreRefused() {
    byte[] again = header("dir/again/", 0, '5', "");
    InputStream tar = new SequenceInputStream(new ByteArrayInputStream(withoutEndMarker(channel("dir").toTar())),
        new Counting(new byte[0], again));

    assertThatThrownBy(() -> TarballReader.read(tar, Compression.NONE, (entry, name, content) -> { }))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("more than 250000 entries");
  }

  // --- what one archive may make the repository keep or do (TarballLimits) ---------------------------------

  @Test
  void directoryEntriesWithMegabyteDeepNamesAreRefusedBeforeTheirNamesAreKept() {
    // the bomb of issue 15: a few directory entries whose pax names are ~1 MB of "a/a/a/...", under 1 KiB of xz,
    // made the reader build ~350 MiB of tree per upload
    String deep = "dir/x/" + "a/".repeat(500_000);
    byte[] tar = archive(paxEntry(deep + "b1/", '5'), paxEntry(deep + "b2/", '5'), paxEntry(deep + "b3/", '5'));
    byte[] xz = TestTarballs.xz(tar);
    Counting source = new Counting(tar, (byte) 0);

    assertThat(xz.length).isLessThan(1024);
    assertThatThrownBy(() -> ChannelTarballs.check(new ByteArrayInputStream(xz)))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("more than 64 KiB of headers (long names, pax headers) for one entry");
    assertThatThrownBy(() -> TarballReader.read(source, Compression.NONE, (entry, name, content) -> { }))
        .isInstanceOf(NixFormatException.class);
    assertThat(source.count).as("bytes read before the refusal").isLessThan(128 << 10);
  }

  @Test
  void aNameLongerThanPathMaxIsRefused() throws IOException {
    String longest = "dir/" + ("d".repeat(31) + "/").repeat(127) + "x".repeat(27);
    String tooLong = longest + "y";
    assertThat(longest.length()).isEqualTo(4095);

    assertThat(ChannelTarballs.check(xz(archive(paxEntry(longest, '0')))).entries()).isEqualTo(4);
    assertRefused(archive(paxEntry(tooLong, '0')), "has a name of 4096 bytes; at most 4095 (PATH_MAX)");
    // a GNU long name, and a hard link's target, are names too
    byte[] gnu = (tooLong + "\0").getBytes(StandardCharsets.UTF_8);
    assertRefused(archive(header("././@LongLink", gnu.length, 'L', ""), padded(gnu), header("dir/x", 0, '0', "")),
        "has a name of 4096 bytes; at most 4095 (PATH_MAX)");
    byte[] pax = paxRecord("linkpath", tooLong.getBytes(StandardCharsets.UTF_8));
    assertRefused(archive(header("PaxHeaders/x", pax.length, 'x', ""), padded(pax), header("dir/hard", 0, '1', "")),
        "has a name of 4096 bytes; at most 4095 (PATH_MAX)");
  }

  @Test
  void aNameDeeperThan256DirectoriesIsRefused() throws IOException {
    String deepest = "dir/" + "d/".repeat(254) + "f";
    String tooDeep = "dir/" + "d/".repeat(255) + "f";

    assertThat(ChannelTarballs.check(xz(archive(paxEntry(deepest, '0')))).entries()).isEqualTo(4);
    assertRefused(archive(paxEntry(tooDeep, '0')), "is 257 levels deep; at most 256");
  }

  @Test
  void moreThan250000FilesDirectoriesAndLinksOnceUnpackedAreRefused() {
    // 1,000 entries, each implying 254 directories of its own: few entries, many nodes
    byte[][] entries = new byte[1000][];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = paxEntry("dir/d" + i + "/" + "a/".repeat(253) + "f", '0');
    }

    assertRefused(archive(entries), "unpacks to more than 250000 files, directories and links");
  }

  @Test
  void namesAndSymlinkTargetsKeptInMemoryAreLimitedTo8MiB() {
    // 2,100 symlinks with targets of 4,000 bytes: 8.4 MB that the tree would keep
    String target = "../".repeat(1332) + "long";
    byte[][] entries = new byte[2100][];
    for (int i = 0; i < entries.length; i++) {
      byte[] pax = paxRecord("linkpath", target.getBytes(StandardCharsets.UTF_8));
      entries[i] = concat(header("PaxHeaders/x", pax.length, 'x', ""), padded(pax), header("dir/l" + i, 0, '2', ""));
    }

    assertRefused(archive(entries), "names and symlink targets take more than 8 MiB");
  }

  @Test
  void hardLinksCountTheirFilesBytesAgainAsTheNarNixMakesDoes() throws IOException {
    // one file of 1 MiB and 2,048 more names for it: 2,049 MiB in the NAR of the unpacked tree
    byte[] file = concat(header("dir/big", 1 << 20, '0', ""), new byte[1 << 20]);
    byte[][] links = new byte[2048][];
    for (int i = 0; i < links.length; i++) {
      links[i] = header("dir/link-" + i, 0, '1', "dir/big");
    }
    byte[] fewerLinks = archive(concat(file, concat(Arrays.copyOf(links, 2046))));

    assertThat(ChannelTarballs.check(xz(fewerLinks)).entries()).isEqualTo(3 + 1 + 2046);
    assertRefused(archive(concat(file, concat(links))), "the tarball unpacks to more than 2048 MiB");
  }

  @Test
  void longNamesAndPaxHeadersAreLimitedTo32MiBPerArchive() {
    // 600 entries with 60 KB pax headers each: every one within the per-entry limit, 36 MB together
    byte[] pax = paxRecord("comment", "c".repeat(60_000).getBytes(StandardCharsets.UTF_8));
    byte[][] entries = new byte[600][];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = concat(header("PaxHeaders/x", pax.length, 'x', ""), padded(pax), header("dir/f" + i, 0, '0', ""));
    }

    assertRefused(archive(entries), "more than 32 MiB of long names and pax headers");
  }

  @Test
  void aTreeThatCannotGetItsMemoryIsTheServerBeingBusyNotABadArchive() {
    byte[] tar = channel("dir").toTar();

    assertThatThrownBy(() -> TarballReader.read(new ByteArrayInputStream(tar), Compression.NONE,
        (entry, name, content) -> {
          throw new DecoderMemory.Exhausted("the server is decompressing too much at once");
        }))
        .isInstanceOf(DecoderMemoryException.class)
        .hasMessage("the server is decompressing too much at once");
  }

  // --- the same rules for flakes -----------------------------------------------------------------------

  @Test
  void flakesFollowTheSameRules() {
    byte[] tar = flake("f").toTar();
    tar[BLOCK + 110] ^= 1;
    assertThatThrownBy(() -> FlakeTarballs.read(new ByteArrayInputStream(TestTarballs.xz(tar)), FlakeArchive.TAR_XZ,
        spool))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("has a wrong checksum");
  }

  // --- helpers -----------------------------------------------------------------------------------------

  private static void assertRefused(final byte[] tar, final String message) {
    assertThatThrownBy(() -> ChannelTarballs.check(xz(tar)))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining(message);
  }

  private static void assertHeaderBomb(final byte[] start, final byte fill, final String message) {
    Counting source = new Counting(concat(withoutEndMarker(channel("dir").toTar()), start), fill);

    assertThatThrownBy(() -> TarballReader.read(source, Compression.NONE, (entry, name, content) -> { }))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining(message);
    assertThat(source.count).isLessThan(128 << 10);
  }

  /** A valid channel directory (dir/, dir/default.nix) followed by these blocks and the end-of-archive marker. */
  private static byte[] archive(final byte[]... blocks) {
    return concat(withoutEndMarker(channel("dir").toTar()), concat(blocks), new byte[2 * BLOCK]);
  }

  /** An entry whose name is in a pax header (no data). */
  private static byte[] paxEntry(final String name, final char type) {
    byte[] pax = paxRecord("path", name.getBytes(StandardCharsets.UTF_8));
    return concat(header("PaxHeaders/x", pax.length, 'x', ""), padded(pax), header("dir/short", 0, type, ""));
  }

  private static InputStream xz(final byte[] tar) {
    return new ByteArrayInputStream(TestTarballs.xz(tar));
  }

  private static byte[] withoutEndMarker(final byte[] tar) {
    int end = tar.length;
    while (end >= BLOCK && Arrays.equals(Arrays.copyOfRange(tar, end - BLOCK, end), new byte[BLOCK])) {
      end -= BLOCK;
    }
    return Arrays.copyOf(tar, end);
  }

  static byte[] header(final String name, final long size, final char type, final String link) {
    return header(name.getBytes(StandardCharsets.UTF_8), size, type, link.getBytes(StandardCharsets.UTF_8));
  }

  /** A ustar header with a correct checksum; sizes beyond 11 octal digits in base-256. */
  static byte[] header(final byte[] name, final long size, final char type, final byte[] link) {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (size < 077777777777L) {
      octal(h, 124, 12, size);
    }
    else {
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    }
    octal(h, 136, 12, 1_700_000_000L);
    h[156] = (byte) type;
    System.arraycopy(link, 0, h, 157, Math.min(link.length, 100));
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    return h;
  }

  private static void octal(final byte[] h, final int offset, final int length, final long value) {
    String digits = Long.toOctalString(value);
    digits = "0".repeat(length - 1 - digits.length()) + digits;
    System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, h, offset, length - 1);
    h[offset + length - 1] = 0;
  }

  /** A pax record, {@code "<length> <key>=<value>\n"}, the length counting itself. */
  private static byte[] paxRecord(final String key, final byte[] value) {
    int rest = key.length() + value.length + 3;
    int length = rest + 1;
    while (String.valueOf(length).length() + rest != length) {
      length = String.valueOf(length).length() + rest;
    }
    return concat((length + " " + key + "=").getBytes(StandardCharsets.UTF_8), value, new byte[]{'\n'});
  }

  private static byte[] padded(final byte[] data) {
    return Arrays.copyOf(data, (data.length + BLOCK - 1) / BLOCK * BLOCK);
  }

  private static byte[] concat(final byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(part, 0, part.length);
    }
    return out.toByteArray();
  }

  /** {@code start}, then {@code fill} repeated for ever; counts what was read. */
  private static final class Counting
      extends InputStream
  {
    private final byte[] start;

    private final byte[] fill;

    private long count;

    Counting(final byte[] start, final byte fill) {
      this(start, new byte[]{fill});
    }

    Counting(final byte[] start, final byte[] fill) {
      this.start = start;
      this.fill = fill;
    }

    /** The first {@code length} bytes only. */
    InputStream limited(final long length) {
      return new InputStream()
      {
        @Override
        public int read() throws IOException {
          return count < length ? Counting.this.read() : -1;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int max) throws IOException {
          if (count >= length) {
            return -1;
          }
          return Counting.this.read(buffer, offset, (int) Math.min(max, length - count));
        }
      };
    }

    @Override
    public int read() {
      byte b = count < start.length ? start[(int) count] : fill[(int) ((count - start.length) % fill.length)];
      count++;
      return b & 0xff;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) {
      if (count >= start.length && fill.length == 1) {
        Arrays.fill(buffer, offset, offset + length, fill[0]);
        count += length;
        return length;
      }
      for (int i = 0; i < length; i++) {
        buffer[offset + i] = (byte) read();
      }
      return length;
    }
  }
}
