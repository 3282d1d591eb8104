package org.sonatype.nexus.repository.nix.protocol.compression;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sonatype.nexus.repository.nix.protocol.CorruptDataException;
import org.sonatype.nexus.repository.nix.protocol.HashingInputStream;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixVectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.Fixtures.bytes;
import static org.sonatype.nexus.repository.nix.protocol.Fixtures.concat;
import static org.sonatype.nexus.repository.nix.protocol.Fixtures.readAll;

/**
 * rb-1.0.nar.* were written by {@code nix copy --to 'file:///tmp/pv/c-X?compression=X'} (Nix 2.8, libarchive; the
 * gzip one is named .nar by Nix and was renamed for clarity). two-members.* are two files compressed separately by
 * the xz, bzip2, zstd, gzip, lz4 and lzip command-line tools and concatenated; two-lines.br is brotli 1.0.9.
 * rb-1.0.nar.lzma and rb-1.0.nar.Z were written the same way by Nix 2.34 (both are named .nar by Nix).
 */
class CompressionTest
{
  private static final byte[] TWO_LINES = "first member\nsecond member\n".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "NONE, none, .nar",
      "XZ, xz, .nar.xz",
      "BZIP2, bzip2, .nar.bz2",
      "ZSTD, zstd, .nar.zst",
      "BROTLI, br, .nar.br",
      "GZIP, gzip, .nar",
      "LZ4, lz4, .nar.lz4",
      "LZIP, lzip, .nar.lzip",
      "LZMA, lzma, .nar",
      "COMPRESS, compress, .nar"
  })
  void eachCompressionHasItsNixNameAndTheExtensionNixWrites(final Compression compression, final String nixName,
                                                            final String extension)
  {
    assertThat(compression.nixName()).isEqualTo(nixName);
    assertThat(compression.narExtension()).isEqualTo(extension);
    assertThat(Compression.fromNarInfo(nixName)).isEqualTo(compression);
  }

  @Test
  void missingCompressionMeansBzip2() {
    assertThat(Compression.fromNarInfo(null)).isEqualTo(Compression.BZIP2);
  }

  @Test
  void emptyCompressionMeansBzip2() {
    assertThat(Compression.fromNarInfo("")).isEqualTo(Compression.BZIP2);
  }

  @Test
  void unknownCompressionIsRejectedNamingIt() {
    assertThatThrownBy(() -> Compression.fromNarInfo("lzop"))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("unsupported compression 'lzop'");
  }

  @Test
  void compressionNamesAreCaseSensitiveAsInNix() {
    assertThatThrownBy(() -> Compression.fromNarInfo("XZ")).isInstanceOf(NixFormatException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "nar/1qhhj8j997670d7pxf5bwqyfjc1rkc31csw111ipaqkpy76li5sh.nar.xz, XZ",
      "x.nar.bz2, BZIP2",
      "x.nar.zst, ZSTD",
      "x.nar.br, BROTLI",
      "x.nar.lz4, LZ4",
      "x.nar.lzip, LZIP",
      "x.nar.gz, GZIP",
      "x.nar, NONE"
  })
  void compressionIsRecognisedFromTheFileExtension(final String fileName, final Compression expected) {
    assertThat(Compression.fromFileName(fileName)).contains(expected);
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource({"x.xz", "x.narinfo", "x.nar.7z", "x.ls", "''"})
  void otherFileNamesHaveNoCompression(final String fileName) {
    assertThat(Compression.fromFileName(fileName)).isEqualTo(Optional.empty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "XZ, rb-1.0.nar.xz",
      "BZIP2, rb-1.0.nar.bz2",
      "ZSTD, rb-1.0.nar.zst",
      "BROTLI, rb-1.0.nar.br",
      "GZIP, rb-1.0.nar.gz",
      "LZ4, rb-1.0.nar.lz4",
      "LZIP, rb-1.0.nar.lzip",
      "LZMA, rb-1.0.nar.lzma",
      "COMPRESS, rb-1.0.nar.Z"
  })
  void decodesTheNarNixWroteWithThisCompression(final Compression compression, final String fixture)
      throws IOException
  {
    HashingInputStream nar = new HashingInputStream(
        compression.decompress(new ByteArrayInputStream(bytes(fixture))));

    assertThat(nar.drain()).hasToString(NixVectors.RB_NAR_HASH);
    assertThat(nar.byteCount()).isEqualTo(NixVectors.RB_NAR_SIZE);
  }

  @Test
  void noneReturnsTheBytesUnchanged() throws IOException {
    byte[] nar = bytes("small.txt.nar");

    assertThat(readAll(Compression.NONE.decompress(new ByteArrayInputStream(nar)))).isEqualTo(nar);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "XZ, two-members.xz",
      "BZIP2, two-members.bz2",
      "ZSTD, two-members.zst",
      "GZIP, two-members.gz",
      "LZ4, two-members.lz4",
      "LZIP, two-members.lzip"
  })
  void concatenatedMembersAreAllDecoded(final Compression compression, final String fixture) throws IOException {
    assertThat(decode(compression, bytes(fixture))).isEqualTo(TWO_LINES);
  }

  @Test
  void brotliDecodesWhatTheBrotliToolWrote() throws IOException {
    assertThat(decode(Compression.BROTLI, bytes("two-lines.br"))).isEqualTo(TWO_LINES);
  }

  @Test
  void membersStillArriveWhenTheSourceDeliversOneByteAtATime() throws IOException {
    // java.util.zip.GZIPInputStream would stop after the first member here: it only looks for another member
    // when available() > 0.
    InputStream trickle = new TrickleInputStream(bytes("two-members.gz"));

    assertThat(readAll(Compression.GZIP.decompress(trickle))).isEqualTo(TWO_LINES);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "XZ, rb-1.0.nar.xz",
      "BZIP2, rb-1.0.nar.bz2",
      "ZSTD, rb-1.0.nar.zst",
      "BROTLI, rb-1.0.nar.br",
      "GZIP, rb-1.0.nar.gz",
      "LZ4, rb-1.0.nar.lz4",
      "LZIP, rb-1.0.nar.lzip",
      "LZMA, rb-1.0.nar.lzma"
  })
  void aStreamTruncatedByHalfFailsWithIOException(final Compression compression, final String fixture) {
    byte[] whole = bytes(fixture);

    assertThatThrownBy(() -> decode(compression, Arrays.copyOf(whole, whole.length / 2)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith("corrupt or truncated " + compression.nixName() + " stream: ");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "XZ, rb-1.0.nar.xz",
      "BZIP2, rb-1.0.nar.bz2",
      "ZSTD, rb-1.0.nar.zst",
      "BROTLI, rb-1.0.nar.br",
      "GZIP, rb-1.0.nar.gz",
      "LZ4, rb-1.0.nar.lz4",
      "LZIP, rb-1.0.nar.lzip",
      "LZMA, rb-1.0.nar.lzma"
  })
  void aStreamMissingOnlyItsLastByteFailsWithIOException(final Compression compression, final String fixture) {
    byte[] whole = bytes(fixture);

    assertThatThrownBy(() -> decode(compression, Arrays.copyOf(whole, whole.length - 1)))
        .isInstanceOf(CorruptDataException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "XZ, rb-1.0.nar.xz",
      "BZIP2, rb-1.0.nar.bz2",
      "ZSTD, rb-1.0.nar.zst",
      "BROTLI, rb-1.0.nar.br",
      "GZIP, rb-1.0.nar.gz",
      "LZ4, rb-1.0.nar.lz4",
      "LZIP, rb-1.0.nar.lzip",
      "LZMA, rb-1.0.nar.lzma"
  })
  void trailingGarbageAfterTheCompressedStreamFailsWithIOException(final Compression compression,
                                                                   final String fixture)
  {
    byte[] withGarbage = concat(bytes(fixture), "garbage".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> decode(compression, withGarbage)).isInstanceOf(CorruptDataException.class);
  }

  // compress (.Z) has neither an end marker nor a checksum: a cut or extended stream decodes to other bytes, which
  // only the NAR's hash can tell. The NarHash check (NarDigester) is what refuses such a NAR.

  @Test
  void aCutCompressStreamDecodesToOtherBytesThatTheNarHashRefuses() throws IOException {
    byte[] whole = bytes("rb-1.0.nar.Z");
    HashingInputStream nar = new HashingInputStream(
        Compression.COMPRESS.decompress(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length / 2))));

    assertThat(nar.drain()).doesNotHaveToString(NixVectors.RB_NAR_HASH);
  }

  // zstd-jni ends a stream cleanly at the end of its source when the bytes read along with the end of a frame are
  // the start of another one: up to four bytes of anything, or a frame cut short. Nix (libarchive) refuses both
  // ("Truncated zstd input"); found by MalformedTarballsIT (a flake .tar.zst with a few bytes of garbage).

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void aZstdStreamWithAFewBytesAfterItsLastFrameIsRefused(final int count) {
    byte[] trailing = new byte[count];
    Arrays.fill(trailing, (byte) 'Q');

    assertThatThrownBy(() -> decode(Compression.ZSTD, concat(bytes("rb-1.0.nar.zst"), trailing)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith("corrupt or truncated zstd stream: ");
  }

  @Test
  void aZstdStreamWhoseLastFrameIsCutShortAnywhereIsRefused() throws IOException {
    byte[] first = zstdFrame("first frame\n".getBytes(StandardCharsets.UTF_8), true);
    byte[] second = zstdFrame(mixedData(new Random(7), 3000), true);
    byte[] skippable = {0x5A, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'};

    for (byte[] last : new byte[][]{second, skippable}) {
      for (int cut = 1; cut < last.length; cut++) {
        byte[] stream = concat(first, Arrays.copyOf(last, cut));
        assertThatThrownBy(() -> decode(Compression.ZSTD, stream)).as("cut at %d of %d", stream.length,
            first.length + last.length).isInstanceOf(CorruptDataException.class);
      }
    }
  }

  @Test
  void zstdFramesOfEveryKindStillDecodeWhateverTheReads() throws IOException {
    Random random = new Random(42);
    byte[] a = mixedData(random, 40_000);
    byte[] b = mixedData(random, 300_000);
    byte[] c = "a frame with its content size\n".getBytes(StandardCharsets.UTF_8);
    // streaming frames with and without checksum (raw, RLE and compressed blocks), a skippable frame, and a frame
    // made in one go, which declares its content size in a single segment
    byte[] stream = concat(concat(zstdFrame(a, true), zstdFrame(b, false)),
        concat(new byte[]{0x50, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, 'x', 'y'}, Zstd.compress(c, 3)));
    byte[] expected = concat(concat(a, b), c);

    assertThat(decode(Compression.ZSTD, stream)).isEqualTo(expected);
    assertThat(readAll(Compression.ZSTD.decompress(new TrickleInputStream(stream)))).isEqualTo(expected);
  }

  /** Random bytes, a run of zeros longer than a block and text: raw, RLE and compressed zstd blocks. */
  private static byte[] mixedData(final Random random, final int length) {
    byte[] data = new byte[length];
    random.nextBytes(data);
    Arrays.fill(data, length / 5, length / 5 * 3, (byte) 0);
    for (int i = length / 5 * 3; i < length; i++) {
      data[i] = (byte) ('a' + i % 7);
    }
    return data;
  }

  private static byte[] zstdFrame(final byte[] data, final boolean checksum) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(bytes).setChecksum(checksum)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void dataInAnotherFormatFailsOnFirstReadNotWhenWrapping(final Compression compression) {
    InputStream decoded = compression.decompress(new ByteArrayInputStream(bytes("small.txt.nar")));

    assertThatThrownBy(() -> readAll(decoded)).isInstanceOf(CorruptDataException.class);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void anEmptyStreamIsNotAnEmptyNar(final Compression compression) {
    assertThatThrownBy(() -> decode(compression, new byte[0])).isInstanceOf(CorruptDataException.class);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void aFailingSourceIsReportedAsItsOwnErrorNotAsCorruptData(final Compression compression) {
    IOException broken = new IOException("connection reset");
    InputStream failing = new InputStream()
    {
      @Override
      public int read() throws IOException {
        throw broken;
      }

      @Override
      public int read(final byte[] b, final int off, final int len) throws IOException {
        throw broken;
      }
    };

    assertThatThrownBy(() -> readAll(compression.decompress(failing))).isSameAs(broken);
  }

  @Test
  void anXzStreamNeedingMoreThanTheMemoryLimitIsRefused() {
    // printf 'tiny\n' | xz --lzma2=dict=256MiB: 64 bytes that would make the decoder allocate 256 MiB
    assertThatThrownBy(() -> decode(Compression.XZ, bytes("dictionary-256mib.xz")))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("memory");
  }

  @Test
  void closingTheDecoderClosesTheSource() throws IOException {
    CloseTrackingInputStream source = new CloseTrackingInputStream(bytes("rb-1.0.nar.xz"));

    Compression.XZ.decompress(source).close();

    assertThat(source.closed).isTrue();
  }

  static byte[] decode(final Compression compression, final byte[] compressed) throws IOException {
    try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed))) {
      return readAll(in);
    }
  }

  private static final class TrickleInputStream
      extends ByteArrayInputStream
  {
    TrickleInputStream(final byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int read(final byte[] b, final int off, final int len) {
      return super.read(b, off, Math.min(len, 1));
    }

    @Override
    public synchronized int available() {
      return 0;
    }
  }

  private static final class CloseTrackingInputStream
      extends ByteArrayInputStream
  {
    boolean closed;

    CloseTrackingInputStream(final byte[] bytes) {
      super(bytes);
    }

    @Override
    public void close() throws IOException {
      closed = true;
      super.close();
    }
  }
}
