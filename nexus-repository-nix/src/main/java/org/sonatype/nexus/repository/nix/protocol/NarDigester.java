package org.sonatype.nexus.repository.nix.protocol;

import java.io.IOException;
import java.io.InputStream;

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
   */
  public static NarDigest digest(final InputStream compressed, final Compression compression) throws IOException {
    HashingInputStream file = new HashingInputStream(compressed);
    HashingInputStream nar = new HashingInputStream(compression.decompress(file));
    nar.drain();
    // Decoders stop at their end-of-stream marker and check the rest is empty; draining makes sure the file hash
    // covers every byte even for NONE.
    file.drain();
    return new NarDigest(nar.hash(), nar.byteCount(), file.hash(), file.byteCount());
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
