package org.sonatype.nexus.repository.nix.protocol.compression;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.HashingInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.Fixtures.bytes;
import static org.sonatype.nexus.repository.nix.protocol.Fixtures.readAll;

/**
 * The lzip container on top of raw LZMA. rb-1.0.nar.lzip was written by Nix (libarchive); fractional-dictionary.lzip
 * by lzip 1.23 from 4393 bytes of `seq 1 1100`, which makes it pick a 4608-byte dictionary, coded as 8 KiB minus
 * 7/16.
 */
class LzipInputStreamTest
{
  @Test
  void aDictionarySizeWithASubtractedFractionIsDecoded() throws IOException {
    byte[] lzip = bytes("fractional-dictionary.lzip");
    assertThat(lzip[5] & 0xff).isEqualTo(0xed);

    HashingInputStream data = new HashingInputStream(new LzipInputStream(new ByteArrayInputStream(lzip), DecoderMemory.SHARED));

    // sha256sum / nix hash file --base32 of the input
    assertThat(data.drain().toBase16()).isEqualTo("a387d28c1c1c9e217304455a71b312e78e60c00dd1a2e84d06260c10d1c04e66");
    assertThat(data.byteCount()).isEqualTo(4393);
  }

  @Test
  void aWrongCrcInTheTrailerIsDetected() {
    byte[] lzip = bytes("rb-1.0.nar.lzip");
    lzip[lzip.length - 20] ^= 1;

    assertThatThrownBy(() -> decode(lzip)).isInstanceOf(IOException.class).hasMessageContaining("CRC mismatch");
  }

  @Test
  void aWrongDataSizeInTheTrailerIsDetected() {
    byte[] lzip = bytes("rb-1.0.nar.lzip");
    lzip[lzip.length - 16] ^= 1;

    assertThatThrownBy(() -> decode(lzip)).isInstanceOf(IOException.class).hasMessageContaining("data size");
  }

  @Test
  void aWrongMemberSizeInTheTrailerIsDetected() {
    byte[] lzip = bytes("rb-1.0.nar.lzip");
    lzip[lzip.length - 8] ^= 1;

    assertThatThrownBy(() -> decode(lzip)).isInstanceOf(IOException.class).hasMessageContaining("member size");
  }

  @Test
  void aDamagedLzmaStreamIsDetected() {
    byte[] lzip = bytes("rb-1.0.nar.lzip");
    lzip[lzip.length / 2] ^= 0x55;

    assertThatThrownBy(() -> decode(lzip)).isInstanceOf(IOException.class);
  }

  @Test
  void onlyVersion1IsSupported() {
    byte[] lzip = bytes("rb-1.0.nar.lzip");
    lzip[4] = 0;

    assertThatThrownBy(() -> decode(lzip)).isInstanceOf(IOException.class)
        .hasMessageContaining("unsupported lzip version 0");
  }

  @Test
  void dataWithoutTheLzipMagicIsRejected() {
    assertThatThrownBy(() -> decode(bytes("rb-1.0.nar.xz"))).isInstanceOf(IOException.class)
        .hasMessageContaining("not an lzip stream");
  }

  @Test
  void aDictionaryAboveTheDecoderLimitIsRefusedBeforeAllocatingIt() {
    byte[] lzip = bytes("rb-1.0.nar.lzip");
    lzip[5] = 0x1d; // 512 MiB, the largest lzip allows

    assertThatThrownBy(() -> decode(lzip)).isInstanceOf(IOException.class)
        .hasMessageContaining("exceeds the decoder limit");
  }

  @Test
  void aDictionarySizeCodeOutsideTheFormatIsRejected() {
    byte[] lzip = bytes("rb-1.0.nar.lzip");
    lzip[5] = 0x0b; // 2 KiB

    assertThatThrownBy(() -> decode(lzip)).isInstanceOf(IOException.class)
        .hasMessageContaining("invalid lzip dictionary size");
  }

  private static byte[] decode(final byte[] lzip) throws IOException {
    return readAll(new LzipInputStream(new ByteArrayInputStream(lzip), DecoderMemory.SHARED));
  }
}
