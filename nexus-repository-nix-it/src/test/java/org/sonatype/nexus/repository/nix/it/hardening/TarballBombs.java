package org.sonatype.nexus.repository.nix.it.hardening;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import org.sonatype.nexus.repository.nix.it.hardening.TarballMutations.Entry;
import org.sonatype.nexus.repository.nix.it.hardening.TarballMutations.Tar;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Tarballs of little data that cross one of the limits on what an archive may make the repository keep or do (names,
 * depth, nodes, kept names, headers, hard links), and compressed streams that ask their decoder for its largest
 * memory. Each archive holds a valid channel or flake besides the bomb ({@code top/<required>}), so that only the
 * limit can refuse it.
 *
 * @param top          the one top-level directory
 * @param required     {@code default.nix} or {@code flake.nix}
 * @param requiredText its content
 */
record TarballBombs(String top, String required, String requiredText)
{
  /**
   * The bomb of issue 15: directory entries whose pax names are ~1 MB of {@code top/x/a/a/a/...}, under 1 KiB of xz;
   * the reader once built ~350 MiB of tree from it. Refused at the first, by the header limit of one entry.
   */
  byte[] megabyteDeepNames() {
    String deep = top + "/x/" + "a/".repeat(500_000);
    List<Entry> entries = start();
    for (int i = 1; i <= 4; i++) {
      entries.add(Entry.dir(deep + "b" + i + "/"));
    }
    return Tar.write(entries).bytes();
  }

  /** A name of 4,096 bytes (short segments, in a pax header): PATH_MAX. */
  byte[] nameLongerThanPathMax() {
    String name = top + "/" + ("d".repeat(31) + "/").repeat(127);
    name += "x".repeat(4096 - name.getBytes(UTF_8).length);
    List<Entry> entries = start();
    entries.add(Entry.file(name, "x\n"));
    return Tar.write(entries).bytes();
  }

  /** A name 257 levels deep. */
  byte[] nameTooDeep() {
    List<Entry> entries = start();
    entries.add(Entry.file(top + "/" + "d/".repeat(255) + "f", "x\n"));
    return Tar.write(entries).bytes();
  }

  /** 1,000 entries, each implying 254 directories of its own: 255,000 nodes from 1,000 headers. */
  byte[] impliedDirectories() {
    List<Entry> entries = start();
    for (int i = 0; i < 1000; i++) {
      entries.add(Entry.file(top + "/d" + i + "/" + "a/".repeat(253) + "f", ""));
    }
    return Tar.write(entries).bytes();
  }

  /** 2,100 symlinks whose targets are 4,000 bytes each: 8.4 MB of names the tree would keep. */
  byte[] longSymlinkTargets() {
    String target = "../".repeat(1332) + "long";
    List<Entry> entries = start();
    for (int i = 0; i < 2100; i++) {
      entries.add(Entry.symlink(top + "/l" + i, target));
    }
    return Tar.write(entries).bytes();
  }

  /** 600 entries whose pax headers hold 60 KB of comment each: within the limit per entry, 36 MB in all. */
  byte[] paxHeadersInAll() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] start = Tar.write(start(), false).bytes();
    out.write(start, 0, start.length);
    byte[] pax = Tar.paxData(Map.of("comment", "c".repeat(60_000)));
    byte[] padded = Tar.padded(pax);
    for (int i = 0; i < 600; i++) {
      out.write(Tar.header("PaxHeaders/f" + i, 0644, pax.length, 'x', ""), 0, TarballMutations.BLOCK);
      out.write(padded, 0, padded.length);
      out.write(Tar.header(top + "/f" + i, 0644, 0, '0', ""), 0, TarballMutations.BLOCK);
    }
    out.write(new byte[2 * TarballMutations.BLOCK], 0, 2 * TarballMutations.BLOCK);
    return out.toByteArray();
  }

  /** A file of 1 MiB and 2,048 more names for it (hard links): 2 GiB in the NAR of the unpacked tree. */
  byte[] hardLinksToOneFile() {
    List<Entry> entries = start();
    Entry big = Entry.file(top + "/big", "");
    big.data = new byte[1 << 20];
    entries.add(big);
    for (int i = 0; i < 2048; i++) {
      entries.add(Entry.hardLink(top + "/link-" + i, top + "/big"));
    }
    return Tar.write(entries).bytes();
  }

  /** A GNU long name of 100,000 bytes: more than one entry's headers may hold. */
  byte[] gnuLongName() {
    List<Entry> entries = start();
    Entry entry = Entry.file(top + "/" + "n/".repeat(50_000) + "x", "x\n");
    entry.longNames = TarballMutations.LongNames.GNU;
    entries.add(entry);
    return Tar.write(entries).bytes();
  }

  /** A valid archive: the top-level directory and its {@code default.nix} / {@code flake.nix}. */
  byte[] valid() {
    return Tar.write(start()).bytes();
  }

  private List<Entry> start() {
    List<Entry> entries = new ArrayList<>();
    entries.add(Entry.dir(top + "/"));
    entries.add(Entry.file(top + "/" + required, requiredText));
    return entries;
  }

  // --- decoders asking for their largest memory ---------------------------------------------------------------------

  /**
   * An xz stream whose block header asks for a dictionary of 128 MiB (XZ for Java allocates it as the block starts),
   * whatever it holds: the data, compressed with a small dictionary, decodes the same with a larger one.
   */
  static byte[] xzWithDictionaryOf128MiB(final byte[] data) {
    byte[] xz = TarballMutations.xz(data);
    int blockHeader = 12;
    int headerSize = ((xz[blockHeader] & 0xff) + 1) * 4;
    int flags = xz[blockHeader + 1] & 0xff;
    int at = blockHeader + 2;
    for (int field = 0x40; field <= 0x80; field <<= 1) {
      if ((flags & field) != 0) {
        while ((xz[at++] & 0x80) != 0) {
          // a variable-length size
        }
      }
    }
    if (xz[at] != 0x21 || xz[at + 1] != 1) {
      throw new IllegalStateException("not the LZMA2 filter XZ for Java writes");
    }
    // dictionary size 2^(n/2 + 12), or 3 * 2^(n/2 + 11) for odd n: 30 is 128 MiB
    xz[at + 2] = 30;
    CRC32 crc = new CRC32();
    crc.update(xz, blockHeader, headerSize - 4);
    long value = crc.getValue();
    for (int i = 0; i < 4; i++) {
      xz[blockHeader + headerSize - 4 + i] = (byte) (value >>> (8 * i));
    }
    return xz;
  }

  /** A zstd frame whose header asks for a window of 128 MiB and does not say how much it holds. */
  static byte[] zstdWithWindowOf128MiB(final byte[] data) {
    byte[] zstd = TarballMutations.zstd(data);
    int descriptor = zstd[4] & 0xff;
    if ((descriptor & 0x20) != 0 || (descriptor & 0xc0) != 0) {
      throw new IllegalStateException("not a streamed frame: " + Integer.toHexString(descriptor));
    }
    // window descriptor: exponent 17 (2^27), no mantissa
    zstd[5] = (byte) 0x88;
    return zstd;
  }

  /** Five bytes of text, no tarball: what the decoder yields after it allocated its memory. */
  static byte[] notATarball() {
    return Arrays.copyOf("tiny\n".getBytes(UTF_8), 5);
  }
}
