package org.sonatype.nexus.repository.nix.protocol.compression;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.LZMAInputStream;

/**
 * Decodes the lzip container (version 1): one or more members, each a 6-byte header ("LZIP", version, coded
 * dictionary size), a raw LZMA stream (lc=3, lp=0, pb=2) ending with an end-of-stream marker, and a 20-byte trailer
 * holding the CRC32 and size of the data and the size of the member. All three trailer values are checked, so a
 * damaged member is an error even when the LZMA data happens to decode.
 *
 * Unlike the lzip tool, bytes after the last member that are not another member are an error: a NAR must be
 * exactly what was compressed.
 */
final class LzipInputStream
    extends InputStream
{
  private static final int HEADER_SIZE = 6;

  private static final int TRAILER_SIZE = 20;

  private static final int MIN_DICTIONARY = 1 << 12;

  private static final int MAX_DICTIONARY = 1 << 29;

  private final CountingInputStream source;

  private final ArrayCache arrays;

  private final CRC32 crc = new CRC32();

  private LZMAInputStream member;

  private long memberStart;

  private long memberDataSize;

  private int membersRead;

  private boolean finished;

  LzipInputStream(final InputStream source, final ArrayCache arrays) {
    this.source = new CountingInputStream(source);
    this.arrays = arrays;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = read(one, 0, 1);
    }
    while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(final byte[] buffer, final int offset, final int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (!finished) {
      if (member == null && !startMember()) {
        finished = true;
        break;
      }
      int n = member.read(buffer, offset, length);
      if (n > 0) {
        crc.update(buffer, offset, n);
        memberDataSize += n;
        return n;
      }
      if (n < 0) {
        finishMember();
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    try {
      if (member != null) {
        // hands the dictionary back
        member.close();
      }
    }
    finally {
      source.close();
    }
  }

  private boolean startMember() throws IOException {
    memberStart = source.count();
    int first = source.read();
    if (first < 0) {
      if (membersRead == 0) {
        throw new EOFException("empty lzip stream");
      }
      return false;
    }
    byte[] header = new byte[HEADER_SIZE];
    header[0] = (byte) first;
    readFully(header, 1, HEADER_SIZE - 1, "lzip header");
    if (header[0] != 'L' || header[1] != 'Z' || header[2] != 'I' || header[3] != 'P') {
      throw new IOException(membersRead == 0
          ? "not an lzip stream (bad magic)"
          : "trailing data after lzip member " + membersRead);
    }
    if (header[4] != 1) {
      throw new IOException("unsupported lzip version " + (header[4] & 0xff));
    }
    int dictionarySize = dictionarySize(header[5] & 0xff);
    member = new LZMAInputStream(source, -1, 3, 0, 2, dictionarySize, null, arrays);
    crc.reset();
    memberDataSize = 0;
    return true;
  }

  /**
   * Bits 4-0 are log2 of a base size, bits 7-5 how many sixteenths of it to subtract.
   */
  private static int dictionarySize(final int coded) throws IOException {
    int log2 = coded & 0x1f;
    if (log2 < 12 || log2 > 29) {
      throw new IOException("invalid lzip dictionary size code " + coded);
    }
    int base = 1 << log2;
    int size = base - (base >>> 4) * (coded >>> 5);
    if (size < MIN_DICTIONARY || size > MAX_DICTIONARY) {
      throw new IOException("invalid lzip dictionary size " + size);
    }
    if (size > Compression.MAX_WINDOW_BYTES) {
      throw new IOException(
          "lzip dictionary size " + size + " exceeds the decoder limit of " + Compression.MAX_WINDOW_BYTES);
    }
    return size;
  }

  private void finishMember() throws IOException {
    byte[] trailer = new byte[TRAILER_SIZE];
    readFully(trailer, 0, TRAILER_SIZE, "lzip trailer");
    long expectedCrc = littleEndian(trailer, 0, 4);
    long expectedDataSize = littleEndian(trailer, 4, 8);
    long expectedMemberSize = littleEndian(trailer, 12, 8);
    membersRead++;
    if (expectedCrc != crc.getValue()) {
      throw new IOException("lzip member " + membersRead + ": CRC mismatch");
    }
    if (expectedDataSize != memberDataSize) {
      throw new IOException("lzip member " + membersRead + ": data size " + memberDataSize
          + " does not match the trailer's " + expectedDataSize);
    }
    long memberSize = source.count() - memberStart;
    if (expectedMemberSize != memberSize) {
      throw new IOException("lzip member " + membersRead + ": member size " + memberSize
          + " does not match the trailer's " + expectedMemberSize);
    }
    member = null;
  }

  private void readFully(final byte[] buffer, final int offset, final int length, final String what)
      throws IOException
  {
    int done = 0;
    while (done < length) {
      int n = source.read(buffer, offset + done, length - done);
      if (n < 0) {
        throw new EOFException("truncated " + what);
      }
      done += n;
    }
  }

  private static long littleEndian(final byte[] bytes, final int offset, final int length) {
    long value = 0;
    for (int i = length - 1; i >= 0; i--) {
      value = value << 8 | (bytes[offset + i] & 0xff);
    }
    return value;
  }

  /**
   * Counts what the LZMA decoder consumes, to check the trailer's member size. The decoder reads its input a byte
   * at a time, so the count is exact.
   */
  private static final class CountingInputStream
      extends InputStream
  {
    private final InputStream in;

    private long count;

    CountingInputStream(final InputStream in) {
      this.in = in;
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
