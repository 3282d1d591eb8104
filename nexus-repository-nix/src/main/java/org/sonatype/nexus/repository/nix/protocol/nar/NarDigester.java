package org.sonatype.nexus.repository.nix.protocol.nar;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.sonatype.nexus.repository.nix.protocol.CorruptDataException;
import org.sonatype.nexus.repository.nix.protocol.HashingInputStream;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;

/**
 * Measures NARs in one streaming pass, never holding more than a buffer in memory.
 */
public final class NarDigester
{
  private NarDigester() {
  }

  /**
   * Decompresses {@code compressed} as {@code compression} and hashes both sides: sha256 and size of the decoded
   * NAR, and sha256 and size of the compressed bytes. Does not close the stream. Corrupt or truncated input throws
   * {@link IOException}.
   *
   * @param narSize the size the narinfo claims ({@code NarSize}): decoding stops one byte beyond it, so a few KiB
   *                that decode to gigabytes cost what the claim says, not what the bomb holds
   * @throws CorruptDataException if the NAR is longer than {@code narSize}, or the data is corrupt
   */
  public static NarDigest digest(final InputStream compressed, final Compression compression, final long narSize)
      throws IOException
  {
    HashingInputStream file = new HashingInputStream(compressed);
    HashingInputStream nar = new HashingInputStream(new AtMost(compression.decompress(file), narSize));
    nar.drain();
    // Decoders stop at their end-of-stream marker and check the rest is empty; draining makes sure the file hash
    // covers every byte even for NONE.
    file.drain();
    return new NarDigest(nar.hash(), nar.byteCount(), file.hash(), file.byteCount());
  }

  /** Reads a decoded NAR to {@code narSize} bytes and refuses the first byte beyond, never asking for more. */
  private static final class AtMost
      extends FilterInputStream
  {
    private final long narSize;

    private long read;

    AtMost(final InputStream nar, final long narSize) {
      super(nar);
      this.narSize = narSize;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      int n = in.read(buffer, offset, (int) Math.min(length, Math.max(narSize - read, 0) + 1));
      if (n > 0) {
        read += n;
        if (read > narSize) {
          throw new CorruptDataException("it decompresses to more than its NarSize of " + narSize
              + " bytes (stopped at byte " + read + ")");
        }
      }
      return n;
    }

    /** Skipped bytes are read, so that they count. */
    @Override
    public long skip(final long n) throws IOException {
      byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
      return Math.max(read(buffer, 0, buffer.length), 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /**
   * Hashes uncompressed bytes: sha256 and size. Does not close the stream.
   */
  public static HashedContent sha256(final InputStream in) throws IOException {
    HashingInputStream hashing = new HashingInputStream(in);
    return new HashedContent(hashing.drain(), hashing.byteCount());
  }

  /**
   * A sha256 hash and the number of bytes hashed.
   */
  public static final class HashedContent
  {
    private final NixHash hash;

    private final long size;

    HashedContent(final NixHash hash, final long size) {
      this.hash = hash;
      this.size = size;
    }

    public NixHash hash() {
      return hash;
    }

    public long size() {
      return size;
    }

    @Override
    public String toString() {
      return hash + " (" + size + " bytes)";
    }
  }
}
