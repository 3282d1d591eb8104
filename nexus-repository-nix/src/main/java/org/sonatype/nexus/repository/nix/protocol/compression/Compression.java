package org.sonatype.nexus.repository.nix.protocol.compression;

import java.io.InputStream;
import java.util.Optional;
import org.sonatype.nexus.repository.nix.protocol.NixBase32;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

/**
 * The NAR compressions a narinfo's {@code Compression} field can name and this plugin can decode, with the file
 * extension Nix gives each when it writes {@code nar/<filehash><extension>}.
 */
public enum Compression
{
  NONE("none", ".nar"),
  XZ("xz", ".nar.xz"),
  BZIP2("bzip2", ".nar.bz2"),
  ZSTD("zstd", ".nar.zst"),
  BROTLI("br", ".nar.br"),
  // Nix names gzip NARs plain ".nar" (its extension table has no gzip entry); fromFileName still maps ".nar.gz".
  GZIP("gzip", ".nar"),
  LZ4("lz4", ".nar.lz4"),
  LZIP("lzip", ".nar.lzip"),
  // Like gzip, lzma (the .lzma "alone" format) and compress (Unix .Z) NARs get a plain ".nar" from Nix.
  LZMA("lzma", ".nar"),
  COMPRESS("compress", ".nar");

  /**
   * The largest window/dictionary a decoder may allocate. Decoders allocate what the stream header asks for, so
   * without a cap one crafted upload could claim gigabytes of heap. 128 MiB is twice what {@code xz -9} and
   * {@code lzip -9} use and matches zstd's default decoder limit.
   */
  public static final int MAX_WINDOW_BYTES = 128 << 20;

  private final String nixName;

  private final String narExtension;

  Compression(final String nixName, final String narExtension) {
    this.nixName = nixName;
    this.narExtension = narExtension;
  }

  /**
   * The value of the narinfo {@code Compression} field.
   */
  public String nixName() {
    return nixName;
  }

  /**
   * The extension Nix appends to {@code nar/<filehash>} for this compression.
   */
  public String narExtension() {
    return narExtension;
  }

  /**
   * Reads a narinfo {@code Compression} value. Nix reads a missing or empty field as bzip2 (the format's original
   * default), so null and "" mean {@link #BZIP2}, not {@link #NONE}.
   */
  public static Compression fromNarInfo(final String value) {
    if (value == null || value.isEmpty()) {
      return BZIP2;
    }
    for (Compression compression : values()) {
      if (compression.nixName.equals(value)) {
        return compression;
      }
    }
    throw new NixFormatException("unsupported compression '" + NixBase32.abbreviate(value) + "'");
  }

  /**
   * Guesses the compression from a NAR file name's extension. A bare ".nar" is {@link #NONE}, although Nix also
   * writes gzip NARs that way: the narinfo's {@code Compression} field, not the name, is authoritative.
   */
  public static Optional<Compression> fromFileName(final String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    if (fileName.endsWith(".nar.gz")) {
      return Optional.of(GZIP);
    }
    if (fileName.endsWith(".nar")) {
      return Optional.of(NONE);
    }
    for (Compression compression : values()) {
      if (!compression.narExtension.equals(".nar") && fileName.endsWith(compression.narExtension)) {
        return Optional.of(compression);
      }
    }
    return Optional.empty();
  }

  /**
   * Wraps a compressed stream in a streaming decoder. The decoder is opened on the first read, so this never
   * throws; corrupt, truncated or trailing input surfaces as an {@link java.io.IOException} from reading, never as
   * silently shorter output; a decoder that cannot get its memory from the budget all decoders share in time
   * fails with a {@link DecoderMemoryException}. Closing the result closes {@code compressed}.
   */
  public InputStream decompress(final InputStream compressed) {
    if (compressed == null) {
      throw new NullPointerException("compressed");
    }
    if (this == NONE) {
      return compressed;
    }
    return new DecodingInputStream(this, compressed, DecoderMemory.SHARED);
  }
}
