package org.sonatype.nexus.repository.nix.protocol;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes and counts the bytes read through it, so a stream can be verified while it is being consumed (stored,
 * forwarded, decoded) instead of being buffered or read twice. Skipped bytes are read and hashed too, and
 * mark/reset is not supported, so the hash always covers exactly the bytes that went past.
 */
public final class HashingInputStream
    extends FilterInputStream
{
  private final NixHashType type;

  private final MessageDigest digest;

  private long byteCount;

  private NixHash result;

  public HashingInputStream(final InputStream in) {
    this(in, NixHashType.SHA256);
  }

  public HashingInputStream(final InputStream in, final NixHashType type) {
    super(in);
    this.type = type;
    this.digest = newDigest(type);
  }

  public static MessageDigest newDigest(final NixHashType type) {
    try {
      return MessageDigest.getInstance(type.javaName());
    }
    catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + type.javaName(), e);
    }
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      update(b);
    }
    return b;
  }

  private void update(final int b) {
    checkOpen();
    digest.update((byte) b);
    byteCount++;
  }

  @Override
  public int read(final byte[] buffer, final int offset, final int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      checkOpen();
      digest.update(buffer, offset, n);
      byteCount += n;
    }
    return n;
  }

  @Override
  public long skip(final long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 0))];
    long skipped = 0;
    while (skipped < n) {
      int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(final int readLimit) {
    // unsupported: a reset would hash bytes twice
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void checkOpen() {
    if (result != null) {
      throw new IllegalStateException("hash() was already called; no more bytes can be hashed");
    }
  }

  /**
   * Number of bytes read so far.
   */
  public long byteCount() {
    return byteCount;
  }

  /**
   * The hash of all bytes read. Finishes the digest: reading further afterwards is an error.
   */
  public NixHash hash() {
    if (result == null) {
      result = NixHash.of(type, digest.digest());
    }
    return result;
  }

  /**
   * Reads the rest of the stream, then returns its hash; the byte count is then the stream's full size.
   */
  public NixHash drain() throws IOException {
    byte[] buffer = new byte[65536];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashed by read
    }
    return hash();
  }
}
