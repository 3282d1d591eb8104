package org.sonatype.nexus.repository.nix.protocol.compression;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.github.luben.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.z.ZCompressorInputStream;
import org.brotli.dec.BrotliInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;
import org.sonatype.nexus.repository.nix.protocol.CorruptDataException;

/**
 * Decodes one {@link Compression} and makes every decoder library fail the same way:
 * <ul>
 * <li>the decoder is created on the first read, because decoder constructors already read the header;</li>
 * <li>anything the decoder rejects (including unchecked exceptions some libraries throw on bad input) becomes a
 * {@link CorruptDataException} naming the compression, while I/O errors of the source pass through unchanged;</li>
 * <li>an empty source and bytes left in the source after the decoder's end of stream are errors, not a short or
 * empty NAR; so is a zstd stream that ends inside a frame, which zstd-jni lets pass in one case
 * ({@link ZstdFrameBoundaries}).</li>
 * </ul>
 */
final class DecodingInputStream
    extends InputStream
{
  private final Compression compression;

  private final DecoderMemory memory;

  private final Source source;

  private InputStream decoder;

  private boolean ended;

  DecodingInputStream(final Compression compression, final InputStream source, final DecoderMemory memory) {
    this.compression = compression;
    this.memory = memory;
    this.source = new Source(source, compression == Compression.ZSTD ? new ZstdFrameBoundaries() : null, memory,
        this);
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
    if (ended) {
      return -1;
    }
    try {
      if (decoder == null) {
        decoder = open();
      }
      int n = decoder.read(buffer, offset, length);
      if (n < 0) {
        ended = true;
        source.releaseReserved();
        checkEnd();
      }
      return n;
    }
    catch (CorruptDataException e) {
      throw e;
    }
    catch (IOException | RuntimeException e) {
      // the stream is over: the decoder's memory goes back to the budget now, not when the caller closes this
      closeDecoderQuietly();
      DecoderMemory.Exhausted exhausted = exhausted(e);
      if (exhausted != null) {
        throw new DecoderMemoryException(exhausted.getMessage(), e);
      }
      if (source.failure != null) {
        // some decoders (brotli) wrap the source's exception in their own; surface the original
        throw source.failure;
      }
      throw new CorruptDataException("corrupt or truncated " + compression.nixName() + " stream: " + describe(e), e);
    }
  }

  private void checkEnd() throws IOException {
    // zstd-jni, for one, reads empty input as a clean end without any frame
    if (source.count == 0) {
      throw new CorruptDataException("empty " + compression.nixName() + " stream");
    }
    if (source.read() >= 0) {
      throw new CorruptDataException("trailing data after the end of the " + compression.nixName() + " stream");
    }
    if (source.frames != null && !source.frames.endsBetweenFrames()) {
      throw new CorruptDataException("corrupt or truncated " + compression.nixName() + " stream: it ends inside a "
          + "frame (truncated, or trailing bytes after the last frame)");
    }
  }

  /** The decoder's memory could not be reserved: thrown by the budget, possibly wrapped by the decoder. */
  private static DecoderMemory.Exhausted exhausted(final Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof DecoderMemory.Exhausted) {
        return (DecoderMemory.Exhausted) cause;
      }
    }
    return null;
  }

  private static String describe(final Throwable e) {
    String message = e.getMessage();
    if (message != null) {
      return message;
    }
    return e instanceof java.io.EOFException ? "unexpected end of input" : e.getClass().getSimpleName();
  }

  @Override
  public int available() throws IOException {
    return decoder == null || ended ? 0 : decoder.available();
  }

  @Override
  public void close() throws IOException {
    try {
      if (decoder != null) {
        decoder.close();
      }
    }
    finally {
      source.releaseReserved();
      source.closeSource();
    }
  }

  /** Hands the decoder's arrays back (its close does not close the source). */
  private void closeDecoderQuietly() {
    source.releaseReserved();
    if (decoder == null) {
      return;
    }
    try {
      decoder.close();
    }
    catch (IOException | RuntimeException e) {
      // it failed already
    }
  }

  private InputStream open() throws IOException {
    switch (compression) {
      case XZ:
        return new XZInputStream(source, Compression.MAX_WINDOW_BYTES / 1024 + 1024, memory);
      case BZIP2:
        return new BZip2CompressorInputStream(source, true);
      case ZSTD:
        return new ZstdInputStream(source);
      case BROTLI:
        return new BrotliInputStream(source);
      case GZIP:
        // Not java.util.zip.GZIPInputStream: it only looks for a further member when source.available() > 0, so
        // on a network stream it can silently drop the rest of a multi-member file.
        return new GzipCompressorInputStream(source, true);
      case LZ4:
        return new FramedLZ4CompressorInputStream(source, true);
      case LZIP:
        return new LzipInputStream(source, memory);
      case LZMA:
        // its dictionary comes from the same shared budget as xz's
        return new LZMAInputStream(source, Compression.MAX_WINDOW_BYTES / 1024 + 1024, memory);
      case COMPRESS:
        return new ZCompressorInputStream(source, Compression.MAX_WINDOW_BYTES / 1024);
      default:
        throw new IllegalStateException("no decoder for " + compression);
    }
  }

  /**
   * Counts what the decoder consumed and remembers whether the source itself failed; for zstd, reserves what each
   * frame makes the decoder allocate before the decoder sees the frame's header.
   */
  private static final class Source
      extends FilterInputStream
  {
    private long count;

    private IOException failure;

    /** For zstd: where the bytes read so far end, frame-wise. */
    private final ZstdFrameBoundaries frames;

    private final DecoderMemory memory;

    /** Whose reservations these are: if it is dropped unclosed, they end with it. */
    private final Object owner;

    private final List<Runnable> reservations = new ArrayList<>();

    private long reserved;

    Source(final InputStream in, final ZstdFrameBoundaries frames, final DecoderMemory memory, final Object owner) {
      super(in);
      this.frames = frames;
      this.memory = memory;
      this.owner = owner;
    }

    /** Reserves what the zstd frames read so far make the decoder allocate, beyond what is reserved already. */
    private void reserveFrames() {
      long needed = frames.largestFrameMemory();
      if (needed > reserved) {
        reservations.add(memory.reserveFor(owner, needed - reserved));
        reserved = needed;
      }
    }

    /** Decoders close their source when they are closed: only {@link #closeSource()} closes this one's. */
    @Override
    public void close() {
    }

    void closeSource() throws IOException {
      in.close();
    }

    void releaseReserved() {
      reservations.forEach(Runnable::run);
      reservations.clear();
      reserved = 0;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        if (b >= 0) {
          count++;
          if (frames != null) {
            frames.update(b);
            reserveFrames();
          }
        }
        return b;
      }
      catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      try {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
          count += n;
          if (frames != null) {
            frames.update(buffer, offset, n);
            reserveFrames();
          }
        }
        return n;
      }
      catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(final long n) throws IOException {
      try {
        long skipped = in.skip(n);
        count += Math.max(skipped, 0);
        if (frames != null && skipped > 0) {
          frames.lostTrack();
        }
        return skipped;
      }
      catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
