package org.sonatype.nexus.repository.nix.protocol.nar;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sonatype.nexus.repository.nix.protocol.CorruptDataException;
import org.sonatype.nexus.repository.nix.protocol.HashingInputStream;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.NixVectors;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.Fixtures.bytes;

class NarDigesterTest
{
  // FileHash / FileSize from the narinfos `nix copy --to 'file://...?compression=X'` wrote for rb-1.0
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "XZ, rb-1.0.nar.xz, 1qhhj8j997670d7pxf5bwqyfjc1rkc31csw111ipaqkpy76li5sh, 3072",
      "BZIP2, rb-1.0.nar.bz2, 06rvkp1jzgna69khkih927w6ij9wgaqg4qbqlx30wb6szk5x1w8a, 4110",
      "ZSTD, rb-1.0.nar.zst, 0cjfrscr6lgfr7vvynvrsmjwwd5hcr6d5wc6xsx7w8msm2zlr0fk, 3904",
      "BROTLI, rb-1.0.nar.br, 0i5f3h4aqavswrf1nvkkdsng1qi1kvpw33hmr8vhb34w8f5176zi, 4048",
      "GZIP, rb-1.0.nar.gz, 0qfca4rbbpam6zprn0w6c53fc223g7nl7aldlhhzw33chfamqny1, 8885",
      "LZ4, rb-1.0.nar.lz4, 1552x1422z6m9qn1hq4vvzjw3wrz1ykrz4wvv7b9n91jshsbqz0c, 15928",
      "LZIP, rb-1.0.nar.lzip, 1rbr4d5b3mmr6nfl3d8fc4n913fssfwiys5bd9k5ahr10n3ns6am, 3040"
  })
  void digestMeasuresTheNarAndTheFileExactlyAsNixRecordedThem(final Compression compression, final String fixture,
                                                              final String fileHash, final long fileSize)
      throws IOException
  {
    NarDigest digest = NarDigester.digest(new ByteArrayInputStream(bytes(fixture)), compression,
        NixVectors.RB_NAR_SIZE);

    assertThat(digest.narHash()).hasToString(NixVectors.RB_NAR_HASH);
    assertThat(digest.narSize()).isEqualTo(NixVectors.RB_NAR_SIZE);
    assertThat(digest.fileHash()).hasToString("sha256:" + fileHash);
    assertThat(digest.fileSize()).isEqualTo(fileSize);
  }

  @Test
  void anUncompressedNarHasEqualFileAndNarHashes() throws IOException {
    // small.txt's NAR; its narinfo says NarHash sha256:1c0g8dk8..., NarSize 144 (and so does its CA field)
    NarDigest digest = NarDigester.digest(new ByteArrayInputStream(bytes("small.txt.nar")), Compression.NONE,
        144);

    assertThat(digest.narHash()).hasToString("sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v");
    assertThat(digest.narSize()).isEqualTo(144);
    assertThat(digest.fileHash()).isEqualTo(digest.narHash());
    assertThat(digest.fileSize()).isEqualTo(144);
  }

  @Test
  void theDigestMatchesTheNarinfoNixWrote() throws IOException {
    NarInfo narInfo = NarInfo.parse(NixVectors.RB_SIGNED_XZ, "/nix/store");

    NarDigest digest = NarDigester.digest(new ByteArrayInputStream(bytes("rb-1.0.nar.xz")), narInfo.compression(),
        narInfo.narSize());

    assertThat(NarCheck.ofNar(narInfo, digest).matches()).isTrue();
    assertThat(digest.fileHash()).isEqualTo(narInfo.fileHash().get());
    assertThat(NarCheck.ofNar(NarInfo.parse(NixVectors.RC_SIGNED_XZ, "/nix/store"), digest).matches()).isFalse();
  }

  @Test
  void aNarLongerThanItsNarSizeIsReadOnlyToOneByteBeyond() {
    long[] read = {0};
    InputStream endless = new InputStream()
    {
      @Override
      public int read() {
        read[0]++;
        return 'n';
      }

      @Override
      public int read(final byte[] buffer, final int offset, final int length) {
        Arrays.fill(buffer, offset, offset + length, (byte) 'n');
        read[0] += length;
        return length;
      }
    };

    assertThatThrownBy(() -> NarDigester.digest(endless, Compression.NONE, 1000))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("it decompresses to more than its NarSize of 1000 bytes (stopped at byte 1001)");
    assertThat(read[0]).isEqualTo(1001);
  }

  @Test
  void aZstdBombStopsAtItsNarSize() throws IOException {
    // 16 KiB of zstd that decode to 512 MiB
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (ZstdOutputStream zstd = new ZstdOutputStream(bomb)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 512; i++) {
        zstd.write(zeros);
      }
    }
    assertThat(bomb.size()).isLessThan(20 << 10);

    assertThatThrownBy(() -> NarDigester.digest(new ByteArrayInputStream(bomb.toByteArray()), Compression.ZSTD,
        NixVectors.RB_NAR_SIZE))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("it decompresses to more than its NarSize of " + NixVectors.RB_NAR_SIZE + " bytes (stopped at byte "
            + (NixVectors.RB_NAR_SIZE + 1) + ")");
  }

  @Test
  void aNarOfExactlyItsNarSizeIsFine() throws IOException {
    assertThat(NarDigester.digest(new ByteArrayInputStream(bytes("rb-1.0.nar.gz")), Compression.GZIP,
        NixVectors.RB_NAR_SIZE).narSize()).isEqualTo(NixVectors.RB_NAR_SIZE);
    assertThat(NarDigester.digest(new ByteArrayInputStream(bytes("rb-1.0.nar.gz")), Compression.GZIP,
        NixVectors.RB_NAR_SIZE + 1000).narSize()).isEqualTo(NixVectors.RB_NAR_SIZE);
  }

  @Test
  void aCorruptNarIsAnErrorNotADigest() {
    byte[] xz = bytes("rb-1.0.nar.xz");

    assertThatThrownBy(() -> NarDigester.digest(new ByteArrayInputStream(Arrays.copyOf(xz, 2000)), Compression.XZ,
        NixVectors.RB_NAR_SIZE))
        .isInstanceOf(CorruptDataException.class);
  }

  @Test
  void theStreamIsLeftOpenForTheCaller() throws IOException {
    boolean[] closed = {false};
    InputStream in = new ByteArrayInputStream(bytes("rb-1.0.nar.zst"))
    {
      @Override
      public void close() {
        closed[0] = true;
      }
    };

    NarDigester.digest(in, Compression.ZSTD, NixVectors.RB_NAR_SIZE);

    assertThat(closed[0]).isFalse();
  }

  @Test
  void sha256OfRawBytesMatchesNixHashFile() throws IOException {
    byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

    NarDigester.HashedContent hashed = NarDigester.sha256(new ByteArrayInputStream(fox));

    assertThat(hashed.hash()).hasToString("sha256:14p5r4vvzl025mvdng3dwi8md3ag5q4b1g4sr9lr906p0yrzpa6p");
    assertThat(hashed.size()).isEqualTo(43);
  }

  @Test
  void hashingInputStreamCoversExactlyTheBytesReadIncludingSkippedOnes() throws IOException {
    byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
    HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(fox));

    in.read();
    in.skip(10);
    in.read(new byte[5], 0, 5);
    NixHash hash = in.drain();

    assertThat(in.byteCount()).isEqualTo(43);
    assertThat(hash).hasToString("sha256:14p5r4vvzl025mvdng3dwi8md3ag5q4b1g4sr9lr906p0yrzpa6p");
  }

  @Test
  void hashingInputStreamCanUseOtherHashTypes() throws IOException {
    byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

    NixHash md5 = new HashingInputStream(new ByteArrayInputStream(fox), NixHashType.MD5).drain();

    assertThat(md5).hasToString("md5:6n36j44d8xv1mq5dib6yfps44y");
  }

  @Test
  void hashingInputStreamRefusesMarkAndReset() {
    HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(new byte[10]));

    assertThat(in.markSupported()).isFalse();
    assertThatThrownBy(in::reset).isInstanceOf(IOException.class);
  }
}
