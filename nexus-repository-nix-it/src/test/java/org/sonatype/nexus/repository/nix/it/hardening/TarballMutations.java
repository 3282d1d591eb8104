package org.sonatype.nexus.repository.nix.it.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.XZOutputStream;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Generates broken channel snapshots ({@code nixexprs.tar.xz}) and flake tarballs ({@code .tar.gz}, {@code .tar.xz},
 * {@code .tar.zst}) from valid ones, reproducibly (one seed, same cases): the compressed stream truncated, bit-flipped
 * or overwritten, trailing garbage, the wrong compression for the name, bodies that are no tarball at all, the tar
 * inside truncated, its headers corrupted (checksums, bit flips, sizes, type flags, names, link targets; with the
 * checksum recomputed where the point is the field), archives that break the layout rules (entries outside the
 * archive, links out of it or through symlinks, duplicates, devices and FIFOs, names Nix cannot create, several or no
 * top-level directories, no {@code default.nix} / {@code flake.nix}) and decompression bombs (a few hundred KiB that
 * declare or hold gigabytes).
 *
 * The tar archives are written here byte by byte (ustar headers, pax and GNU long names), not by a tar library, so
 * that every header field can be set to exactly what a case needs; the compressors are the JDK's gzip, XZ for Java,
 * zstd-jni and Commons Compress's bzip2 and LZ4 framers.
 *
 * Each {@link Case} says what the repository must do with it ({@link Expect}): almost all are invalid by
 * construction and must be refused; a bit flip in a gzip or zstd stream may hit a field no decoder checks, so those
 * are classified (refused, or accepted and then Nix must unpack them); and a few valid edge cases (no end-of-archive
 * marker, long names, symlinks pointing anywhere, ...) must be accepted, so that the refusals are not a blanket
 * "no".
 */
final class TarballMutations
{
  enum Kind
  {
    CHANNEL,
    FLAKE
  }

  /** The formats a deploy URL names: channels are always .tar.xz, flakes any of the three. */
  enum Format
  {
    TAR_XZ(".tar.xz", "application/x-xz"),
    TAR_GZ(".tar.gz", "application/gzip"),
    TAR_ZST(".tar.zst", "application/zstd");

    final String extension;

    final String contentType;

    Format(final String extension, final String contentType) {
      this.extension = extension;
      this.contentType = contentType;
    }
  }

  /** What the repository must answer. */
  enum Expect
  {
    /** Invalid by construction: a 4xx with a message, nothing stored. */
    REFUSED,
    /** Invalid unless the mutation hit a byte no decoder checks: refused, or accepted and then Nix unpacks it. */
    CLASSIFY,
    /** A valid edge case: accepted, and Nix unpacks it to a directory with default.nix / flake.nix. */
    ACCEPTED
  }

  /**
   * One upload.
   *
   * @param family      the kind of damage, for the counts
   * @param name        what exactly was done, for failure messages
   * @param format      the format the URL names (for channels always .tar.xz)
   * @param contentType the Content-Type sent, or null for none
   * @param bomb        a decompression bomb: must be refused quickly
   */
  record Case(Kind kind, String family, String name, Format format, String contentType, byte[] body, Expect expect,
              boolean bomb)
  {
    @Override
    public String toString() {
      return kind.name().toLowerCase() + " " + format.extension + " [" + family + "] " + name + " (" + body.length
          + " bytes)";
    }
  }

  static final String CHANNEL_DIR = "nixpkgs-24.11pre-mutant";

  static final String FLAKE_DIR = "mytool-1.0";

  static final int BLOCK = 512;

  private static final long MTIME = 1_700_000_000L;

  private static final int MIB = 1 << 20;

  /** Bombs are built from a compressed chunk of this many uncompressed bytes, repeated (concatenated streams). */
  private static final int CHUNK = 16 * MIB;

  private static final String[] CONTENT_TYPES = {
      null, "application/x-xz", "application/gzip", "application/zstd", "application/x-tar",
      "application/octet-stream", "text/plain", "application/x-bzip2"};

  private final Random random;

  private final Map<String, byte[]> chunks = new LinkedHashMap<>();

  private List<Case> cases;

  private Kind kind;

  private int formatTurn;

  TarballMutations(final long seed) {
    this.random = new Random(seed);
  }

  /** All cases for one kind of tarball. */
  List<Case> generate(final Kind kind) {
    this.kind = kind;
    this.cases = new ArrayList<>();
    compressedStreamDamage();
    wrongCompression();
    notATarball();
    truncatedTar();
    corruptHeaders();
    headerFields();
    layout();
    names();
    bombs();
    limitBombs();
    memoryBombs();
    validEdgeCases();
    return cases;
  }

  // --- the valid archives everything starts from ------------------------------------------------

  /**
   * A valid archive as GNU tar or git archive would write it. Variant 0 has directory entries and a pax long name,
   * variant 1 has {@code ./} names, no entries for most directories and a GNU long name.
   */
  List<Entry> base(final int variant) {
    String top = (variant == 1 ? "./" : "") + (kind == Kind.CHANNEL ? CHANNEL_DIR : FLAKE_DIR);
    List<Entry> entries = new ArrayList<>();
    if (variant == 1) {
      entries.add(Entry.dir("./"));
    }
    entries.add(Entry.dir(top + "/"));
    String deep = top + "/pkgs/development/interpreters/" + "nix-expression-language-".repeat(3) + "runtime/default.nix";
    if (kind == Kind.CHANNEL) {
      entries.add(Entry.file(top + "/default.nix", "{ ... }:\n{\n  hello = \"world\";\n}\n" + filler(700)));
      entries.add(Entry.file(top + "/.version", "24.11pre-mutant\n"));
      if (variant == 0) {
        entries.add(Entry.dir(top + "/lib/"));
      }
      entries.add(Entry.file(top + "/lib/strings.nix", "{ }\n" + filler(1600)));
      entries.add(Entry.symlink(top + "/lib/default.nix", "strings.nix"));
      entries.add(Entry.executable(top + "/bin/setup.sh", "#!/bin/sh\n" + filler(300)));
      entries.add(Entry.hardLink(top + "/lib/copy.nix", top + "/lib/strings.nix"));
    }
    else {
      entries.add(Entry.file(top + "/flake.nix", FlakeTarball.flakeNix("mytool", "1.0", "mutant") + filler(200)));
      entries.add(Entry.file(top + "/README", "mytool 1.0\n" + filler(1200)));
      if (variant == 0) {
        entries.add(Entry.dir(top + "/src/"));
      }
      entries.add(Entry.executable(top + "/src/main.sh", "#!/bin/sh\n" + filler(600)));
      entries.add(Entry.symlink(top + "/src/lib", "main.sh"));
      entries.add(Entry.hardLink(top + "/src/copy.sh", top + "/src/main.sh"));
    }
    Entry longOne = Entry.file(deep, "{ }\n" + filler(150));
    longOne.longNames = variant == 0 ? LongNames.PAX : LongNames.GNU;
    entries.add(longOne);
    return entries;
  }

  /** Text that no tar reader can take for a header: letters, spaces and newlines, no digits, no NUL. */
  private String filler(final int length) {
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      text.append("# ");
      int words = 3 + random.nextInt(9);
      for (int w = 0; w < words; w++) {
        int letters = 1 + random.nextInt(9);
        for (int l = 0; l < letters; l++) {
          text.append((char) ('a' + random.nextInt(26)));
        }
        text.append(' ');
      }
      text.append('\n');
    }
    return text.substring(0, length - 1) + "\n";
  }

  private String top() {
    return kind == Kind.CHANNEL ? CHANNEL_DIR : FLAKE_DIR;
  }

  private String required() {
    return kind == Kind.CHANNEL ? "default.nix" : "flake.nix";
  }

  // --- families ---------------------------------------------------------------------------------

  /** Truncation, bit flips, overwritten bytes and trailing garbage in the compressed stream of a valid tarball. */
  private void compressedStreamDamage() {
    for (int i = 0; i < 60; i++) {
      Format format = nextFormat();
      byte[] body = compress(format, Tar.write(base(i % 2)).bytes());
      // the first bytes (magic, stream header) one by one, the last ones, and anywhere in between
      int cut = i < 12 ? 1 + i : i < 22 ? body.length - (i - 11) : 1 + random.nextInt(body.length - 1);
      add("truncated compressed stream", "cut at " + cut + " of " + body.length, format,
          Arrays.copyOf(body, cut), Expect.REFUSED);
    }
    for (int i = 0; i < 70; i++) {
      Format format = nextFormat();
      byte[] body = compress(format, Tar.write(base(i % 2)).bytes());
      int offset = flippableOffset(format, body);
      int bit = random.nextInt(8);
      body[offset] ^= (byte) (1 << bit);
      add("bit flip in the compressed stream", "bit " + bit + " of byte " + offset + " of " + body.length, format,
          body, format == Format.TAR_XZ ? Expect.REFUSED : Expect.CLASSIFY);
    }
    for (int i = 0; i < 30; i++) {
      Format format = nextFormat();
      byte[] body = compress(format, Tar.write(base(i % 2)).bytes());
      int length = 1 + random.nextInt(16);
      int offset = Math.min(flippableOffset(format, body), body.length - length);
      byte[] original = Arrays.copyOfRange(body, offset, offset + length);
      byte[] garbage = new byte[length];
      do {
        random.nextBytes(garbage);
      }
      while (Arrays.equals(garbage, original));
      System.arraycopy(garbage, 0, body, offset, length);
      add("bytes overwritten in the compressed stream", length + " bytes at " + offset + " of " + body.length,
          format, body, format == Format.TAR_XZ ? Expect.REFUSED : Expect.CLASSIFY);
    }
    for (int i = 0; i < 12; i++) {
      Format format = nextFormat();
      byte[] body = compress(format, Tar.write(base(i % 2)).bytes());
      byte[] garbage = new byte[1 + random.nextInt(i < 6 ? 8 : 4000)];
      random.nextBytes(garbage);
      // not zero (xz allows zero stream padding) and not the start of another stream of the format
      garbage[0] = (byte) ('A' + random.nextInt(26));
      add("garbage after the compressed stream", garbage.length + " bytes", format, concat(body, garbage),
          Expect.REFUSED);
    }
  }

  /** Offsets whose change a decoder notices (for gzip: not the header's mtime, extra flags, OS and FTEXT bit). */
  private int flippableOffset(final Format format, final byte[] body) {
    while (true) {
      int offset = random.nextInt(body.length);
      if (format != Format.TAR_GZ || offset < 3 || offset > 9) {
        return offset;
      }
    }
  }

  /** A valid archive compressed otherwise than its name says (or twice, or not at all). */
  private void wrongCompression() {
    List<Format> formats = kind == Kind.CHANNEL ? List.of(Format.TAR_XZ) : List.of(Format.values());
    Map<String, Function<byte[], byte[]>> compressors = new LinkedHashMap<>();
    compressors.put("gzip", TarballMutations::gzip);
    compressors.put("xz", TarballMutations::xz);
    compressors.put("zstd", TarballMutations::zstd);
    compressors.put("bzip2", TarballMutations::bzip2);
    compressors.put("lzma (legacy .lzma)", TarballMutations::lzma);
    compressors.put("lz4", TarballMutations::lz4);
    compressors.put("no compression (plain tar)", data -> data);
    int repeats = kind == Kind.CHANNEL ? 3 : 1;
    for (Format format : formats) {
      String own = format == Format.TAR_XZ ? "xz" : format == Format.TAR_GZ ? "gzip" : "zstd";
      for (int r = 0; r < repeats; r++) {
        for (Map.Entry<String, Function<byte[], byte[]>> compressor : compressors.entrySet()) {
          if (compressor.getKey().equals(own)) {
            continue;
          }
          byte[] body = compressor.getValue().apply(Tar.write(base(r % 2)).bytes());
          add("wrong compression", compressor.getKey() + " under " + format.extension, format,
              randomContentType(), body, Expect.REFUSED);
        }
        // the right compression around the wrong thing: compressed twice, or around another compression
        byte[] tar = Tar.write(base(r % 2)).bytes();
        add("wrong compression", own + " of " + own + " of the tar", format, randomContentType(),
            compress(format, compress(format, tar)), Expect.REFUSED);
        add("wrong compression", own + " of bzip2 of the tar", format, randomContentType(),
            compress(format, bzip2(tar)), Expect.REFUSED);
      }
    }
    // a valid tarball with the Content-Type of another compression: the body decides, not the header
    for (Format format : formats) {
      for (Format other : Format.values()) {
        if (other != format) {
          add("wrong compression", "gzip body under " + format.extension + " sent as " + other.contentType, format,
              other.contentType, gzip(Tar.write(base(0)).bytes()), format == Format.TAR_GZ ? Expect.ACCEPTED
                  : Expect.REFUSED);
        }
      }
    }
  }

  /** Bodies that are no tarball: empty, zeros, random bytes, text; and compressed data that is no tar archive. */
  private void notATarball() {
    for (int i = 0; i < 3; i++) {
      add("not a tarball", "empty body", nextFormat(), CONTENT_TYPES[i], new byte[0], Expect.REFUSED);
    }
    for (int length : new int[]{1, 4, 12, 512, 1024, 10240, 65536}) {
      add("not a tarball", length + " zero bytes", nextFormat(), new byte[length], Expect.REFUSED);
    }
    for (int length : new int[]{1, 7, 100, 2048, 50000}) {
      byte[] body = new byte[length];
      random.nextBytes(body);
      add("not a tarball", length + " random bytes", nextFormat(), body, Expect.REFUSED);
    }
    add("not a tarball", "a Nix expression", nextFormat(), "{ ... }: { hello = \"world\"; }\n".getBytes(UTF_8),
        Expect.REFUSED);
    add("not a tarball", "an HTML page", nextFormat(), "<html><body>Not Found</body></html>\n".getBytes(UTF_8),
        Expect.REFUSED);
    for (int i = 0; i < 8; i++) {
      Format format = nextFormat();
      byte[] inner;
      String what;
      switch (i % 4) {
        case 0:
          inner = new byte[0];
          what = "nothing";
          break;
        case 1:
          inner = new byte[i < 4 ? 1024 : 10240];
          what = "only the end-of-archive marker (" + inner.length + " zero bytes)";
          break;
        case 2:
          inner = new byte[4096 + random.nextInt(4096)];
          random.nextBytes(inner);
          what = inner.length + " random bytes";
          break;
        default:
          inner = ("{ ... }: { }\n" + filler(3000)).getBytes(UTF_8);
          what = "a text file";
      }
      add("not a tarball", "the compression of " + what, format, compress(format, inner), Expect.REFUSED);
    }
  }

  /**
   * The tar archive cut inside a header or inside an entry's data (or its padding), then compressed properly.
   * Cuts where an entry starts or after the last entry leave a valid, shorter archive and are not made here.
   */
  private void truncatedTar() {
    for (int i = 0; i < 80; i++) {
      Format format = nextFormat();
      Tar tar = Tar.write(base(i % 2));
      TreeSet<Integer> entryStarts = new TreeSet<>(tar.headers());
      int cut;
      do {
        cut = 1 + random.nextInt(tar.end() - 1);
        if (i % 4 == 0) {
          // a whole number of blocks, but inside an entry's data
          int[] data = tar.data().get(random.nextInt(tar.data().size()));
          if (data[1] - data[0] > BLOCK) {
            cut = data[0] + BLOCK * (1 + random.nextInt((data[1] - data[0] - 1) / BLOCK));
          }
        }
      }
      while (entryStarts.contains(cut));
      add("truncated tar", "cut at " + cut + " of " + tar.bytes().length + " (entries end at " + tar.end() + ")",
          format, compress(format, Arrays.copyOf(tar.bytes(), cut)), Expect.REFUSED);
    }
  }

  /** A header whose checksum no longer matches: the checksum changed, or any other byte of the header flipped. */
  private void corruptHeaders() {
    for (int i = 0; i < 30; i++) {
      Format format = nextFormat();
      Tar tar = Tar.write(base(i % 2));
      int header = tar.headers().get(random.nextInt(tar.headers().size()));
      byte[] bytes = tar.bytes();
      long sum = Tar.checksum(bytes, header);
      long wrong = sum + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(i % 3 == 0 ? 3 : 2000));
      Tar.octal(bytes, header + 148, 7, wrong);
      add("header checksum wrong", "header at " + header + ": " + Long.toOctalString(wrong) + " for "
          + Long.toOctalString(sum), format, compress(format, bytes), Expect.REFUSED);
    }
    for (int i = 0; i < 70; i++) {
      Format format = nextFormat();
      Tar tar = Tar.write(base(i % 2));
      int header = tar.headers().get(random.nextInt(tar.headers().size()));
      int offset;
      do {
        offset = random.nextInt(BLOCK);
      }
      while (offset >= 148 && offset < 156);
      int bit = random.nextInt(8);
      byte[] bytes = tar.bytes();
      bytes[header + offset] ^= (byte) (1 << bit);
      add("bit flip in a tar header", "bit " + bit + " of byte " + offset + " of the header at " + header, format,
          compress(format, bytes), Expect.REFUSED);
    }
  }

  /** Header fields set to what they must not be, with the checksum recomputed so that the field is the problem. */
  private void headerFields() {
    for (int i = 0; i < 76; i++) {
      Format format = nextFormat();
      List<Entry> entries = base(i % 2);
      Tar tar = Tar.write(entries);
      byte[] bytes = tar.bytes();
      int index = randomEntry(entries, e -> e.type == '0' && e.data.length > 0);
      Entry entry = entries.get(index);
      int header = tar.entryHeaders().get(index);
      String what;
      switch (i % 12) {
        case 0: {
          long size = bytes.length - tar.data().get(index)[0] + 1 + random.nextInt(100_000);
          Tar.size(bytes, header, size);
          what = entry.name + " declares " + size + " bytes, more than the rest of the archive";
          break;
        }
        case 1: {
          long[] huge = {077777777777L, 1L << 36, 1L << 40, 1L << 62, Long.MAX_VALUE, 3L << 30};
          long size = huge[(i / 12) % huge.length];
          Tar.size(bytes, header, size);
          what = entry.name + " declares " + size + " bytes";
          break;
        }
        case 2: {
          Tar.negativeSize(bytes, header, 1 + random.nextInt(1000));
          what = entry.name + " declares a negative size (base-256)";
          break;
        }
        case 3: {
          index = randomEntry(entries, e -> e.type == '0' && e.data.length > 2 * BLOCK);
          entry = entries.get(index);
          header = tar.entryHeaders().get(index);
          long size = entry.data.length - BLOCK - random.nextInt(BLOCK);
          Tar.size(bytes, header, size);
          what = entry.name + " declares " + size + " of its " + entry.data.length + " bytes (the next header is text)";
          break;
        }
        case 4:
        case 5: {
          char[] types = {'3', '4', '6'};
          char type = types[random.nextInt(types.length)];
          bytes[header + 156] = (byte) type;
          what = entry.name + " turned into type '" + type + "' (device or FIFO)";
          break;
        }
        case 6: {
          char[] types = {'V', 'Z', 'A', 'D', 'M', 'N', 'I', '8', '9', 'C'};
          char type = types[random.nextInt(types.length)];
          bytes[header + 156] = (byte) type;
          what = entry.name + " turned into the unknown or special type '" + type + "'";
          break;
        }
        case 7: {
          char[] types = {'1', '2', '5'};
          char type = types[random.nextInt(types.length)];
          bytes[header + 156] = (byte) type;
          what = entry.name + " turned into type '" + type + "' (a link or directory carrying data)";
          break;
        }
        case 8: {
          if (entry.longNames != LongNames.NONE && entry.name.length() > 100) {
            // the pax/GNU name is what counts: rename a short one instead (chosen before the new name is made
            // from it, so that the name fits the header's 100 bytes: cut there, a "/../" at its end was lost and
            // the archive valid)
            index = randomEntry(entries, e -> e.type == '0' && e.name.length() < 60);
            entry = entries.get(index);
            header = tar.entryHeaders().get(index);
          }
          String[] names = {"/" + entry.name, entry.name + "/../../../etc/passwd", "../" + entry.name,
              top() + "/../../escaped", "/etc/profile.d/evil.sh", top() + "/../" + top() + "-sibling/x"};
          String name = names[random.nextInt(names.length)];
          Tar.name(bytes, header, name);
          what = entry.name + " renamed to " + name;
          break;
        }
        case 9: {
          index = randomEntry(entries, e -> e.type == '0' && e.name.length() < 60);
          entry = entries.get(index);
          header = tar.entryHeaders().get(index);
          String[] names = {"", "other-top/" + entry.name.replaceFirst("^(\\./)?[^/]+/", ""), "stray-file", "."};
          String name = names[random.nextInt(names.length)];
          Tar.name(bytes, header, name);
          what = entry.name + " renamed to '" + name + "'";
          break;
        }
        case 10: {
          // the name of another regular file: one of the two is lost when Nix unpacks
          index = randomEntry(entries, e -> e.type == '0' && e.name.length() < 60);
          int other = randomEntry(entries, e -> e.type == '0' && e.name.length() < 60 && e != entries.get(0));
          while (other == index) {
            other = randomEntry(entries, e -> e.type == '0' && e.name.length() < 60);
          }
          header = tar.entryHeaders().get(index);
          Tar.name(bytes, header, entries.get(other).name);
          what = entries.get(index).name + " renamed to " + entries.get(other).name + ", which is there too";
          break;
        }
        default: {
          int link = randomEntry(entries, e -> e.type == '1');
          header = tar.entryHeaders().get(link);
          String[] targets = {"/etc/passwd", "../../etc/shadow", top() + "/../outside", top() + "/no-such-file",
              top() + "/", ""};
          String target = targets[random.nextInt(targets.length)];
          Tar.link(bytes, header, target);
          what = "the hard link " + entries.get(link).name + " pointed at '" + target + "'";
        }
      }
      Tar.rechecksum(bytes, header);
      add("header field", what, format, compress(format, bytes), Expect.REFUSED);
    }
  }

  /** Archives laid out as neither nix-channel nor Nix can use, or as the repository's rules refuse. */
  private void layout() {
    String top = top();
    String required = required();
    String requiredText = kind == Kind.CHANNEL ? "{ ... }: { }\n"
        : FlakeTarball.flakeNix("mytool", "1.0", "layout");
    List<Layout> layouts = new ArrayList<>();
    layouts.add(new Layout("no top-level directory: the files at the top", List.of(
        Entry.file(required, requiredText), Entry.file("README", filler(300)))));
    layouts.add(new Layout("two top-level directories", List.of(
        Entry.dir(top + "/"), Entry.file(top + "/" + required, requiredText),
        Entry.dir(top + "-2/"), Entry.file(top + "-2/" + required, requiredText))));
    layouts.add(new Layout("a file next to the top-level directory", List.of(
        Entry.dir(top + "/"), Entry.file(top + "/" + required, requiredText), Entry.file("NOTICE", filler(100)))));
    layouts.add(new Layout("a top-level symlink to the directory", List.of(
        Entry.dir(top + "/"), Entry.file(top + "/" + required, requiredText), Entry.symlink("latest", top))));
    layouts.add(new Layout("only a top-level symlink", List.of(Entry.symlink(top, "/nix/store"))));
    layouts.add(new Layout("only a top-level file", List.of(Entry.file(top, requiredText))));
    layouts.add(new Layout("only the ./ entry", List.of(Entry.dir("./"))));
    layouts.add(new Layout("an empty top-level directory", List.of(Entry.dir(top + "/"))));
    layouts.add(new Layout("no " + required, List.of(
        Entry.dir(top + "/"), Entry.file(top + "/README", filler(400)), Entry.file(top + "/lib.nix", "{ }\n"))));
    layouts.add(new Layout(required + " only in a subdirectory", List.of(
        Entry.dir(top + "/"), Entry.file(top + "/sub/" + required, requiredText))));
    String[] lookAlikes = {required.substring(0, 1).toUpperCase() + required.substring(1), required + "~",
        required + ".txt", " " + required, required.replace(".nix", ".NIX")};
    for (String alike : lookAlikes) {
      layouts.add(new Layout("'" + alike + "' instead of " + required, List.of(
          Entry.dir(top + "/"), Entry.file(top + "/" + alike, requiredText))));
    }
    layouts.add(new Layout(required + " a directory", List.of(
        Entry.dir(top + "/"), Entry.dir(top + "/" + required + "/"),
        Entry.file(top + "/" + required + "/default.nix", requiredText))));
    layouts.add(new Layout(required + " a symlink", List.of(
        Entry.dir(top + "/"), Entry.file(top + "/real.nix", requiredText), Entry.symlink(top + "/" + required,
            "real.nix"))));
    layouts.add(new Layout(required + " a FIFO", List.of(
        Entry.dir(top + "/"), Entry.special(top + "/" + required, '6'))));
    layouts.add(new Layout("the top-level directory a file, with entries inside", List.of(
        Entry.file(top, "x\n"), Entry.file(top + "/" + required, requiredText))));
    for (char type : new char[]{'3', '4', '6'}) {
      layouts.add(new Layout("a " + (type == '6' ? "FIFO" : type == '3' ? "character device" : "block device"),
          withBase(Entry.special(top + "/dev-" + type, type))));
    }
    layouts.add(new Layout("a FIFO in a subdirectory", withBase(Entry.special(top + "/run/control.fifo", '6'))));
    layouts.add(new Layout("a file twice, same content", withBase(
        Entry.file(top + "/twice.nix", "{ }\n"), Entry.file(top + "/twice.nix", "{ }\n"))));
    layouts.add(new Layout("a file twice, other content", withBase(
        Entry.file(top + "/twice.nix", "{ a = 1; }\n"), Entry.file(top + "/twice.nix", "{ b = 2; }\n"))));
    layouts.add(new Layout(required + " twice", withBase(Entry.file(top + "/" + required, requiredText))));
    layouts.add(new Layout("a file, then a directory of the same name", withBase(
        Entry.file(top + "/x", "x\n"), Entry.dir(top + "/x/"))));
    layouts.add(new Layout("a directory, then a file of the same name", withBase(
        Entry.dir(top + "/y/"), Entry.file(top + "/y", "y\n"))));
    layouts.add(new Layout("a symlink, then a file of the same name", withBase(
        Entry.symlink(top + "/z", required), Entry.file(top + "/z", "z\n"))));
    layouts.add(new Layout("a hard link named like an existing file", withBase(
        Entry.file(top + "/a.nix", "a\n"), Entry.file(top + "/b.nix", "b\n"),
        Entry.hardLink(top + "/b.nix", top + "/a.nix"))));
    layouts.add(new Layout("an entry inside a file", withBase(
        Entry.file(top + "/file", "x\n"), Entry.file(top + "/file/inside", "y\n"))));
    String[] outside = {"/etc", "/", "..", "../..", "../../../../../../tmp", "/nix/store"};
    for (String target : outside) {
      layouts.add(new Layout("a file written through a symlink to " + target, withBase(
          Entry.symlink(top + "/escape", target), Entry.file(top + "/escape/written-outside", "pwned\n"))));
    }
    layouts.add(new Layout("a file written through a symlink inside the archive", withBase(
        Entry.dir(top + "/real/"), Entry.symlink(top + "/alias", "real"), Entry.file(top + "/alias/x", "x\n"))));
    layouts.add(new Layout("a symlink without a target", withBase(Entry.symlink(top + "/nowhere", ""))));
    String[] hardTargets = {"/etc/passwd", "../../etc/passwd", top + "/../../x", top + "/missing.nix", top,
        top + "/later.nix", top + "/lib.link"};
    for (String target : hardTargets) {
      List<Entry> entries = withBase(Entry.symlink(top + "/lib.link", required),
          Entry.hardLink(top + "/hard", target));
      entries.add(Entry.file(top + "/later.nix", "later\n"));
      layouts.add(new Layout("a hard link to " + target, entries));
    }
    Entry linkWithData = Entry.hardLink(top + "/hard-with-data", top + "/" + required);
    linkWithData.data = "extra bytes\n".getBytes(UTF_8);
    layouts.add(new Layout("a hard link that carries data", withBase(linkWithData)));
    Entry symlinkWithData = Entry.symlink(top + "/symlink-with-data", required);
    symlinkWithData.data = filler(700).getBytes(UTF_8);
    layouts.add(new Layout("a symlink that carries data", withBase(symlinkWithData)));
    Entry dirWithData = Entry.dir(top + "/dir-with-data/");
    dirWithData.data = filler(600).getBytes(UTF_8);
    layouts.add(new Layout("a directory that carries data", withBase(dirWithData)));
    Entry dot = Entry.file(".", "not a directory\n");
    List<Entry> withDot = new ArrayList<>(List.of(dot));
    withDot.addAll(base(0));
    layouts.add(new Layout("'.' a file", withDot));
    for (char type : new char[]{'V', 'M', 'N', 'D', 'Z', 'I'}) {
      Entry odd = Entry.file(top + "/odd-" + type, "x\n");
      odd.type = type;
      layouts.add(new Layout("an entry of tar type '" + type + "'", withBase(odd)));
    }
    String[] dotDots = {"../escaped", top + "/../../escaped", top + "/a/../../../escaped", "..", top + "/..",
        "./../escaped"};
    for (String name : dotDots) {
      layouts.add(new Layout("an entry named " + name, withBase(Entry.file(name, "x\n"))));
    }
    String[] absolutes = {"/escaped", "/" + top + "/default.nix", "//" + top + "/x", "/"};
    for (String name : absolutes) {
      layouts.add(new Layout("an entry named " + name, withBase(Entry.file(name, "x\n"))));
    }
    for (Layout layout : layouts) {
      Format format = nextFormat();
      add("layout", layout.name, format, compress(format, Tar.write(layout.entries).bytes()), Expect.REFUSED);
    }
  }

  private record Layout(String name, List<Entry> entries)
  {
  }

  /** The base archive (variant 0) with more entries at the end. */
  private List<Entry> withBase(final Entry... more) {
    List<Entry> entries = base(0);
    entries.addAll(List.of(more));
    return entries;
  }

  /** Names no file system Nix unpacks to can hold, or that the repository refuses. */
  private void names() {
    String top = top();
    for (int i = 0; i < 16; i++) {
      Format format = nextFormat();
      int length = 256 + random.nextInt(i < 4 ? 8 : 3000);
      String segment = "n".repeat(length);
      Entry entry = Entry.file(top + "/" + (i % 3 == 0 ? "deep/er/" : "") + segment + (i % 2 == 0 ? ".nix" : ""),
          "x\n");
      entry.longNames = i % 2 == 0 ? LongNames.PAX : LongNames.GNU;
      add("names", "a name segment of " + length + " bytes (" + entry.longNames + ")", format,
          compress(format, Tar.write(withBase(entry)).bytes()), Expect.REFUSED);
    }
    for (int i = 0; i < 6; i++) {
      Format format = nextFormat();
      byte[][] invalid = {{(byte) 0xff}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xe2, (byte) 0x82},
          {(byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80}};
      Entry entry = Entry.file(top + "/x.nix", "x\n");
      entry.rawName = concat((top + "/bad-").getBytes(UTF_8), invalid[i], ".nix".getBytes(UTF_8));
      add("names", "a name that is not UTF-8", format, compress(format, Tar.write(withBase(entry)).bytes()),
          Expect.REFUSED);
    }
  }

  /**
   * A few hundred KiB that declare or hold gigabytes: the repository must refuse them quickly, without filling its
   * heap or disk. Built from one compressed chunk repeated (xz, gzip and zstd all decode concatenated streams).
   */
  private void bombs() {
    List<Format> formats = kind == Kind.CHANNEL ? List.of(Format.TAR_XZ)
        : List.of(Format.TAR_XZ, Format.TAR_GZ, Format.TAR_ZST);
    String top = top();
    for (Format format : formats) {
      // 3 GiB of zeros in one file, really there
      Tar start = Tar.write(base(0), false);
      byte[] header = Tar.header(top + "/zeros.bin", 0644, 3L << 30, '0', "");
      add("decompression bomb", "a file of 3 GiB of zeros", format, format.contentType,
          concat(compress(format, start.bytes()), compress(format, header), repeat(format, "zeros", 3 * 64),
              compress(format, new byte[10240])), Expect.REFUSED, true);
    }
    Format format = formats.get(0);
    // a valid archive, then 3 GiB of zeros after its end
    add("decompression bomb", "3 GiB of zeros after the end-of-archive marker", format, null,
        concat(compress(format, Tar.write(base(0)).bytes()), repeat(format, "zeros", 3 * 64)), Expect.REFUSED, true);
    // a GNU long name of 1 GiB
    Tar start = Tar.write(base(0), false);
    add("decompression bomb", "a GNU long name of 1 GiB", format, null,
        concat(compress(format, start.bytes()),
            compress(format, Tar.header("././@LongLink", 0644, 1L << 30, 'L', "")), repeat(format, "letters", 64),
            compress(format, Tar.header(top + "/x", 0644, 0, '0', "")), compress(format, new byte[10240])),
        Expect.REFUSED, true);
    // a pax header of 1 GiB: one record "<length> path=aaaa...\n"
    long recordLength = (1L << 30) + 17;
    byte[] prefix = (recordLength + " path=").getBytes(UTF_8);
    add("decompression bomb", "a pax header of 1 GiB", format, null,
        concat(compress(format, start.bytes()),
            compress(format, Tar.header("PaxHeaders/x", 0644, recordLength, 'x', "")), compress(format, prefix),
            repeat(format, "letters", 64), compress(format, concat("\n".getBytes(UTF_8),
                new byte[(int) (BLOCK - recordLength % BLOCK)])),
            compress(format, Tar.header(top + "/x", 0644, 0, '0', "")), compress(format, new byte[10240])),
        Expect.REFUSED, true);
    // a pax 1.0 sparse file whose map claims 100 million regions, and holds some 24 million
    byte[] pax = Tar.paxData(Map.of("GNU.sparse.major", "1", "GNU.sparse.minor", "0",
        "GNU.sparse.name", top + "/sparse.bin", "GNU.sparse.realsize", "1000"));
    byte[] count = "100000000\n".getBytes(UTF_8);
    long mapBytes = count.length + 6L * CHUNK;
    add("decompression bomb", "a sparse map of 100 million regions", format, null,
        concat(compress(format, start.bytes()),
            compress(format, Tar.header("PaxHeaders/sparse", 0644, pax.length, 'x', "")),
            compress(format, Tar.padded(pax)),
            compress(format, Tar.header(top + "/GNUSparseFile.0/sparse.bin", 0644, mapBytes, '0', "")),
            compress(format, count), repeat(format, "sparse-map", 6),
            compress(format, new byte[(int) (BLOCK - mapBytes % BLOCK) + 10240])),
        Expect.REFUSED, true);
    // an old GNU sparse file with a million extension headers
    byte[] sparse = Tar.header(top + "/old-sparse.bin", 0644, 0, 'S', "");
    sparse[482] = 1;
    Tar.rechecksum(sparse, 0);
    add("decompression bomb", "an old GNU sparse file with a million extension headers", format, null,
        concat(compress(format, start.bytes()), compress(format, sparse), repeat(format, "sparse-extensions", 32),
            compress(format, new byte[10240])),
        Expect.REFUSED, true);
    // more entries than any channel or flake: the same directory entry 260,000 times
    add("decompression bomb", "262,144 entries", format, null,
        concat(compress(format, Tar.write(base(0), false).bytes()), repeat(format, "directory-entries", 8),
            compress(format, new byte[10240])),
        Expect.REFUSED, true);
    if (kind == Kind.CHANNEL) {
      // two files of 1.25 GiB: each alone is within the limits, together they are not
      add("decompression bomb", "two files of 1.25 GiB of zeros", format, null,
          concat(compress(format, start.bytes()),
              compress(format, Tar.header(top + "/zeros-1.bin", 0644, 80L * CHUNK, '0', "")),
              repeat(format, "zeros", 80),
              compress(format, Tar.header(top + "/zeros-2.bin", 0644, 80L * CHUNK, '0', "")),
              repeat(format, "zeros", 80), compress(format, new byte[10240])),
          Expect.REFUSED, true);
    }
  }

  /**
   * Little data that crosses one of the limits on what an archive may make the repository keep or do
   * ({@link TarballBombs}): refused quickly, whatever the compression.
   */
  private void limitBombs() {
    TarballBombs bombs = limitArchives();
    List<Format> formats = kind == Kind.CHANNEL ? List.of(Format.TAR_XZ)
        : List.of(Format.TAR_XZ, Format.TAR_ZST, Format.TAR_GZ);
    for (Format format : formats) {
      add("limit bomb", "directory entries with pax names of 1 MB (a/a/a/...)", format, format.contentType,
          compress(format, bombs.megabyteDeepNames()), Expect.REFUSED, true);
    }
    Map<String, byte[]> limits = new LinkedHashMap<>();
    limits.put("a name of 4,096 bytes", bombs.nameLongerThanPathMax());
    limits.put("a name 257 levels deep", bombs.nameTooDeep());
    limits.put("1,000 entries implying 255,000 directories", bombs.impliedDirectories());
    limits.put("2,100 symlinks with targets of 4,000 bytes", bombs.longSymlinkTargets());
    limits.put("600 pax headers of 60 KB (36 MB in all)", bombs.paxHeadersInAll());
    limits.put("2,048 hard links to a file of 1 MiB (2 GiB in the NAR)", bombs.hardLinksToOneFile());
    limits.put("a GNU long name of 100,000 bytes", bombs.gnuLongName());
    int turn = 0;
    for (Map.Entry<String, byte[]> limit : limits.entrySet()) {
      Format format = formats.get(turn++ % formats.size());
      add("limit bomb", limit.getKey(), format, format.contentType, compress(format, limit.getValue()),
          Expect.REFUSED, true);
    }
  }

  /**
   * Compressed streams whose decoder allocates its largest memory (a 128 MiB xz dictionary or zstd window) as they
   * start, whatever they hold: a valid tarball so compressed is accepted, anything else refused, and neither costs
   * more than the memory all decoders share.
   */
  private void memoryBombs() {
    TarballBombs bombs = limitArchives();
    add("memory bomb", "a valid tarball whose xz header asks for a 128 MiB dictionary", Format.TAR_XZ,
        Format.TAR_XZ.contentType, TarballBombs.xzWithDictionaryOf128MiB(bombs.valid()), Expect.ACCEPTED, true);
    add("memory bomb", "5 bytes of text whose xz header asks for a 128 MiB dictionary", Format.TAR_XZ,
        Format.TAR_XZ.contentType, TarballBombs.xzWithDictionaryOf128MiB(TarballBombs.notATarball()), Expect.REFUSED,
        true);
    if (kind == Kind.FLAKE) {
      add("memory bomb", "a valid tarball whose zstd frame asks for a 128 MiB window", Format.TAR_ZST,
          Format.TAR_ZST.contentType, TarballBombs.zstdWithWindowOf128MiB(bombs.valid()), Expect.ACCEPTED, true);
      add("memory bomb", "5 bytes of text whose zstd frame asks for a 128 MiB window", Format.TAR_ZST,
          Format.TAR_ZST.contentType, TarballBombs.zstdWithWindowOf128MiB(TarballBombs.notATarball()),
          Expect.REFUSED, true);
    }
  }

  private TarballBombs limitArchives() {
    return new TarballBombs(top(), required(), kind == Kind.CHANNEL ? "{ ... }: { }\n"
        : FlakeTarball.flakeNix("mytool", "1.0", "bomb"));
  }

  /** Valid edge cases: these must be accepted (and Nix must unpack them). */
  private void validEdgeCases() {
    String top = top();
    String required = required();
    int turn = 0;
    Tar tar = Tar.write(base(0));
    Format format = controlFormat(turn++);
    add("valid edge case", "no end-of-archive marker", format,
        compress(format, Arrays.copyOf(tar.bytes(), tar.end())), Expect.ACCEPTED);
    format = controlFormat(turn++);
    add("valid edge case", "one zero block as end-of-archive marker, no padding", format,
        compress(format, Arrays.copyOf(tar.bytes(), tar.end() + BLOCK)), Expect.ACCEPTED);
    format = controlFormat(turn++);
    add("valid edge case", "100 KiB of zeros after the end-of-archive marker", format,
        compress(format, concat(tar.bytes(), new byte[100 * 1024])), Expect.ACCEPTED);
    format = controlFormat(turn++);
    Entry pax = Entry.file(top + "/" + "long-directory-name-of-a-deep-tree/".repeat(40) + "x.nix", "x\n");
    add("valid edge case", "a path of " + pax.name.length() + " characters (pax)", format,
        compress(format, Tar.write(withBase(pax)).bytes()), Expect.ACCEPTED);
    format = controlFormat(turn++);
    Entry gnu = Entry.file(top + "/" + "g".repeat(255) + "/" + "h".repeat(255) + "/" + "i".repeat(200), "x\n");
    gnu.longNames = LongNames.GNU;
    add("valid edge case", "a path of " + gnu.name.length() + " characters (GNU), segments of 255", format,
        compress(format, Tar.write(withBase(gnu)).bytes()), Expect.ACCEPTED);
    format = controlFormat(turn++);
    add("valid edge case", "symlinks pointing anywhere (never followed)", format, compress(format, Tar.write(
        withBase(Entry.symlink(top + "/etc-passwd", "/etc/passwd"), Entry.symlink(top + "/up", "../../../.."),
            Entry.symlink(top + "/dangling", "no/such/file"))).bytes()), Expect.ACCEPTED);
    format = controlFormat(turn++);
    add("valid edge case", "a directory named twice", format, compress(format, Tar.write(
        withBase(Entry.dir(top + "/again/"), Entry.file(top + "/again/x", "x\n"), Entry.dir(top + "/again/")))
        .bytes()), Expect.ACCEPTED);
    format = controlFormat(turn++);
    add("valid edge case", "only " + required, format, compress(format, Tar.write(List.of(
        Entry.file(top + "/" + required, kind == Kind.CHANNEL ? "{ ... }: { }\n"
            : FlakeTarball.flakeNix("mytool", "1.0", "minimal")))).bytes()), Expect.ACCEPTED);
    format = controlFormat(turn++);
    add("valid edge case", "sent with Content-Type text/plain", format, "text/plain",
        compress(format, Tar.write(base(1)).bytes()), Expect.ACCEPTED);
    format = controlFormat(turn++);
    Entry odd = Entry.file(top + "/unicode-\u00e9\u00e8-\u65e5\u672c-\ud83d\ude00.nix", "x\n");
    add("valid edge case", "UTF-8 names", format, compress(format, Tar.write(withBase(odd)).bytes()),
        Expect.ACCEPTED);
    if (kind == Kind.CHANNEL) {
      format = controlFormat(turn++);
      // xz allows zero padding after a stream, in multiples of four bytes
      add("valid edge case", "xz stream padding", format,
          concat(compress(format, Tar.write(base(0)).bytes()), new byte[8]), Expect.ACCEPTED);
    }
  }

  private Format controlFormat(final int turn) {
    return kind == Kind.CHANNEL ? Format.TAR_XZ : Format.values()[turn % 3];
  }

  // --- helpers ----------------------------------------------------------------------------------

  private Format nextFormat() {
    return kind == Kind.CHANNEL ? Format.TAR_XZ : Format.values()[formatTurn++ % 3];
  }

  private String randomContentType() {
    return CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
  }

  private void add(final String family, final String name, final Format format, final byte[] body,
                   final Expect expect)
  {
    add(family, name, format, random.nextInt(3) == 0 ? randomContentType() : format.contentType, body, expect,
        false);
  }

  private void add(final String family, final String name, final Format format, final String contentType,
                   final byte[] body, final Expect expect)
  {
    add(family, name, format, contentType, body, expect, false);
  }

  private void add(final String family, final String name, final Format format, final String contentType,
                   final byte[] body, final Expect expect, final boolean bomb)
  {
    cases.add(new Case(kind, family, name, format, contentType, body, expect, bomb));
  }

  private int randomEntry(final List<Entry> entries, final java.util.function.Predicate<Entry> which) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (which.test(entries.get(i))) {
        candidates.add(i);
      }
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  /** {@code count} times a compressed chunk of {@link #CHUNK} bytes of one kind, concatenated. */
  private byte[] repeat(final Format format, final String what, final int count) {
    byte[] chunk = chunks.computeIfAbsent(kind + "/" + format + "/" + what, k -> compress(format, chunk(what)));
    ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length * count);
    for (int i = 0; i < count; i++) {
      out.write(chunk, 0, chunk.length);
    }
    return out.toByteArray();
  }

  private byte[] chunk(final String what) {
    byte[] data = new byte[CHUNK];
    switch (what) {
      case "zeros":
        break;
      case "letters":
        Arrays.fill(data, (byte) 'a');
        break;
      case "sparse-map":
        for (int i = 0; i < data.length; i += 2) {
          data[i] = '0';
          data[i + 1] = '\n';
        }
        break;
      case "sparse-extensions":
        // old GNU sparse extension records: 21 empty regions and the "another one follows" flag
        for (int i = 0; i < data.length; i += BLOCK) {
          data[i + 504] = 1;
        }
        break;
      case "directory-entries":
        byte[] header = Tar.header(top() + "/again/", 0755, 0, '5', "");
        for (int i = 0; i < data.length; i += BLOCK) {
          System.arraycopy(header, 0, data, i, BLOCK);
        }
        break;
      default:
        throw new IllegalArgumentException(what);
    }
    return data;
  }

  static byte[] concat(final byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(part, 0, part.length);
    }
    return out.toByteArray();
  }

  // --- compression ------------------------------------------------------------------------------

  static byte[] compress(final Format format, final byte[] data) {
    switch (format) {
      case TAR_XZ:
        return xz(data);
      case TAR_GZ:
        return gzip(data);
      default:
        return zstd(data);
    }
  }

  private interface Compressor
  {
    OutputStream open(OutputStream out) throws IOException;
  }

  private static byte[] compressWith(final Compressor compressor, final byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = compressor.open(bytes)) {
      out.write(data);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] xz(final byte[] data) {
    // preset 1: a 1 MiB dictionary, so that hundreds of small streams do not each allocate 100 MiB
    return compressWith(out -> new XZOutputStream(out, new LZMA2Options(1)), data);
  }

  static byte[] gzip(final byte[] data) {
    return compressWith(GZIPOutputStream::new, data);
  }

  static byte[] zstd(final byte[] data) {
    // with the content checksum, as the zstd tool writes by default
    return compressWith(out -> new ZstdOutputStream(out).setChecksum(true), data);
  }

  static byte[] bzip2(final byte[] data) {
    return compressWith(BZip2CompressorOutputStream::new, data);
  }

  static byte[] lzma(final byte[] data) {
    return compressWith(out -> new LZMAOutputStream(out, new LZMA2Options(1), -1), data);
  }

  static byte[] lz4(final byte[] data) {
    return compressWith(FramedLZ4CompressorOutputStream::new, data);
  }

  // --- tar --------------------------------------------------------------------------------------

  /** How a name or link target longer than the 100 bytes of its ustar field is written. */
  enum LongNames
  {
    NONE,
    PAX,
    GNU
  }

  /** One archive entry as the tar writer below writes it. */
  static final class Entry
  {
    final String name;

    char type;

    byte[] data;

    final String link;

    final int mode;

    LongNames longNames = LongNames.PAX;

    /** The name's bytes when they are not UTF-8 (then not longer than 100 bytes). */
    byte[] rawName;

    private Entry(final String name, final char type, final byte[] data, final String link, final int mode) {
      this.name = name;
      this.type = type;
      this.data = data;
      this.link = link;
      this.mode = mode;
    }

    static Entry dir(final String name) {
      return new Entry(name, '5', new byte[0], "", 0755);
    }

    static Entry file(final String name, final String text) {
      return new Entry(name, '0', text.getBytes(UTF_8), "", 0644);
    }

    static Entry executable(final String name, final String text) {
      return new Entry(name, '0', text.getBytes(UTF_8), "", 0755);
    }

    static Entry symlink(final String name, final String target) {
      return new Entry(name, '2', new byte[0], target, 0777);
    }

    static Entry hardLink(final String name, final String target) {
      return new Entry(name, '1', new byte[0], target, 0644);
    }

    static Entry special(final String name, final char type) {
      return new Entry(name, type, new byte[0], "", 0644);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A written archive and where its parts are.
   *
   * @param headers      offsets of all header blocks (pax and GNU long-name headers included), which are also where
   *                     the entries start
   * @param entryHeaders offset of each entry's own header, by entry index
   * @param data         each entry's data, {@code [start, end)} without padding, by entry index
   * @param end          offset of the end-of-archive marker
   */
  record Tar(byte[] bytes, List<Integer> headers, List<Integer> entryHeaders, List<int[]> data, int end)
  {
    static Tar write(final List<Entry> entries) {
      return write(entries, true);
    }

    /**
     * Writes ustar entries (pax or GNU long names where needed), then, if {@code finish}, the end-of-archive
     * marker (two zero blocks) padded to GNU tar's 10 KiB records.
     */
    static Tar write(final List<Entry> entries, final boolean finish) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<Integer> headers = new ArrayList<>();
      List<Integer> entryHeaders = new ArrayList<>();
      List<int[]> data = new ArrayList<>();
      for (Entry entry : entries) {
        byte[] name = entry.rawName != null ? entry.rawName : entry.name.getBytes(UTF_8);
        byte[] link = entry.link.getBytes(UTF_8);
        Map<String, String> pax = new LinkedHashMap<>();
        if (name.length > 100) {
          if (entry.longNames == LongNames.GNU) {
            headers.add(out.size());
            writeEntry(out, header("././@LongLink", 0644, name.length + 1, 'L', ""), concat(name, new byte[1]));
          }
          else {
            pax.put("path", entry.name);
          }
        }
        if (link.length > 100) {
          if (entry.longNames == LongNames.GNU) {
            headers.add(out.size());
            writeEntry(out, header("././@LongLink", 0644, link.length + 1, 'K', ""), concat(link, new byte[1]));
          }
          else {
            pax.put("linkpath", entry.link);
          }
        }
        if (!pax.isEmpty()) {
          byte[] records = paxData(pax);
          headers.add(out.size());
          writeEntry(out, header("PaxHeaders/" + Math.abs(entry.name.hashCode()), 0644, records.length, 'x', ""),
              records);
        }
        headers.add(out.size());
        entryHeaders.add(out.size());
        byte[] header = header(Arrays.copyOf(name, Math.min(name.length, 100)), entry.mode, entry.data.length,
            entry.type, Arrays.copyOf(link, Math.min(link.length, 100)));
        data.add(new int[]{out.size() + BLOCK, out.size() + BLOCK + entry.data.length});
        writeEntry(out, header, entry.data);
      }
      int end = out.size();
      if (finish) {
        out.write(new byte[2 * BLOCK], 0, 2 * BLOCK);
        int record = 20 * BLOCK;
        int padding = (record - out.size() % record) % record;
        out.write(new byte[padding], 0, padding);
      }
      return new Tar(out.toByteArray(), headers, entryHeaders, data, end);
    }

    private static void writeEntry(final ByteArrayOutputStream out, final byte[] header, final byte[] data) {
      out.write(header, 0, BLOCK);
      byte[] padded = padded(data);
      out.write(padded, 0, padded.length);
    }

    static byte[] padded(final byte[] data) {
      return Arrays.copyOf(data, (data.length + BLOCK - 1) / BLOCK * BLOCK);
    }

    /** pax records, {@code "<length> <key>=<value>\n"}, the length counting itself. */
    static byte[] paxData(final Map<String, String> records) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Map.Entry<String, String> record : records.entrySet()) {
        int rest = (" " + record.getKey() + "=" + record.getValue() + "\n").getBytes(UTF_8).length;
        int length = rest + 1;
        while (String.valueOf(length).length() + rest != length) {
          length = String.valueOf(length).length() + rest;
        }
        byte[] line = (length + " " + record.getKey() + "=" + record.getValue() + "\n").getBytes(UTF_8);
        out.write(line, 0, line.length);
      }
      return out.toByteArray();
    }

    static byte[] header(final String name, final int mode, final long size, final char type, final String link) {
      return header(name.getBytes(UTF_8), mode, size, type, link.getBytes(UTF_8));
    }

    static byte[] header(final byte[] name, final int mode, final long size, final char type, final byte[] link) {
      byte[] h = new byte[BLOCK];
      System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
      octal(h, 100, 8, mode);
      octal(h, 108, 8, 0);
      octal(h, 116, 8, 0);
      size(h, 0, size);
      octal(h, 136, 12, MTIME);
      h[156] = (byte) type;
      System.arraycopy(link, 0, h, 157, Math.min(link.length, 100));
      System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
      System.arraycopy("root".getBytes(StandardCharsets.US_ASCII), 0, h, 265, 4);
      System.arraycopy("root".getBytes(StandardCharsets.US_ASCII), 0, h, 297, 4);
      rechecksum(h, 0);
      return h;
    }

    /** {@code length - 1} octal digits and a NUL. */
    static void octal(final byte[] bytes, final int offset, final int length, final long value) {
      String digits = Long.toOctalString(value);
      if (digits.length() > length - 1) {
        throw new IllegalArgumentException(value + " does not fit in " + length + " bytes");
      }
      digits = "0".repeat(length - 1 - digits.length()) + digits;
      System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, bytes, offset, length - 1);
      bytes[offset + length - 1] = 0;
    }

    /** The size field of the header at {@code header}: octal, or base-256 (GNU) when too large for 11 digits. */
    static void size(final byte[] bytes, final int header, final long size) {
      if (size < 077777777777L) {
        octal(bytes, header + 124, 12, size);
        return;
      }
      bytes[header + 124] = (byte) 0x80;
      for (int i = 0; i < 11; i++) {
        bytes[header + 135 - i] = (byte) (i < 8 ? size >>> (8 * i) : 0);
      }
    }

    /** A negative base-256 size (two's complement, as GNU tar writes negative numbers). */
    static void negativeSize(final byte[] bytes, final int header, final long magnitude) {
      long value = -magnitude;
      for (int i = 0; i < 12; i++) {
        bytes[header + 135 - i] = (byte) (i < 8 ? value >>> (8 * i) : 0xff);
      }
    }

    static void name(final byte[] bytes, final int header, final String name) {
      byte[] raw = name.getBytes(UTF_8);
      if (raw.length > 100) {
        // cut to the field, the name would be another one than the case says
        throw new IllegalArgumentException("'" + name + "' does not fit a header's 100-byte name field");
      }
      Arrays.fill(bytes, header, header + 100, (byte) 0);
      System.arraycopy(raw, 0, bytes, header, raw.length);
      // and no ustar prefix that could be prepended to it
      Arrays.fill(bytes, header + 345, header + 500, (byte) 0);
    }

    static void link(final byte[] bytes, final int header, final String link) {
      byte[] raw = link.getBytes(UTF_8);
      if (raw.length > 100) {
        throw new IllegalArgumentException("'" + link + "' does not fit a header's 100-byte link field");
      }
      Arrays.fill(bytes, header + 157, header + 257, (byte) 0);
      System.arraycopy(raw, 0, bytes, header + 157, raw.length);
    }

    /** The header's checksum as it should be: the sum of its bytes with the checksum field as spaces. */
    static long checksum(final byte[] bytes, final int header) {
      long sum = 0;
      for (int i = 0; i < BLOCK; i++) {
        sum += i >= 148 && i < 156 ? ' ' : bytes[header + i] & 0xff;
      }
      return sum;
    }

    static void rechecksum(final byte[] bytes, final int header) {
      long sum = checksum(bytes, header);
      octal(bytes, header + 148, 7, sum);
      bytes[header + 155] = ' ';
    }
  }

  /** Cases per family, in the order they were generated. */
  static Map<String, Integer> countByFamily(final List<Case> cases) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Case c : cases) {
      counts.merge(c.family(), 1, Integer::sum);
    }
    return counts;
  }

  /** Cases per expectation. */
  static Map<Expect, Integer> countByExpectation(final List<Case> cases) {
    Map<Expect, Integer> counts = new EnumMap<>(Expect.class);
    for (Case c : cases) {
      counts.merge(c.expect(), 1, Integer::sum);
    }
    return counts;
  }
}
