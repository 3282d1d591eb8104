package org.sonatype.nexus.repository.nix.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.Fixtures.bytes;

/**
 * Decoders share one memory budget ({@link DecoderMemory}): a stream of a few dozen bytes can make its decoder
 * allocate 128 MiB, so what matters is how many do so at once.
 *
 * The fixtures were written by the real tools: {@code printf 'tiny\n' | xz --lzma2=dict=128MiB} (64 bytes, the decoder
 * allocates its 128 MiB dictionary as the stream starts) and {@code printf 'tiny\n' | zstd --long=27} (18 bytes, a
 * frame with a 128 MiB window and no content size).
 */
class DecoderMemoryTest
{
  private static final long MIB = 1 << 20;

  private static final byte[] XZ_128_MIB = bytes("dictionary-128mib.xz");

  private static final byte[] ZSTD_128_MIB = bytes("window-128mib.zst");

  private final DecoderMemory memory = new DecoderMemory(136 * MIB, Duration.ofMillis(200));

  @Test
  void theBudgetIsAnEighthOfTheHeapAndAtLeastOneLargestWindow() {
    assertThat(DecoderMemory.budgetFor(1L << 30)).isEqualTo(136 * MIB);
    assertThat(DecoderMemory.budgetFor(2703 * MIB)).isEqualTo(2703 * MIB / 8);
    assertThat(DecoderMemory.budgetFor(256 * MIB)).isEqualTo(136 * MIB);
  }

  @Test
  void anXzDecoderHoldsItsDictionaryFromTheBudgetUntilItsStreamEnds() throws IOException {
    InputStream decoder = open(Compression.XZ, XZ_128_MIB);

    assertThat(decoder.read()).isEqualTo('t');
    assertThat(memory.inUse()).isGreaterThanOrEqualTo(128 * MIB);

    Fixtures.readAll(decoder);
    assertThat(memory.inUse()).isZero();
  }

  @Test
  void aSecondLargeDecoderWaitsAndThenFailsAsBusyNotAsCorruptData() throws Exception {
    InputStream first = open(Compression.XZ, XZ_128_MIB);
    first.read();

    assertThatThrownBy(() -> open(Compression.XZ, XZ_128_MIB).read())
        .isInstanceOf(DecoderMemoryException.class)
        .isNotInstanceOf(CorruptDataException.class)
        .hasMessageContaining("the server is decompressing too much at once")
        .hasMessageContaining("of the 136 MiB decoders share are in use; try again later");

    first.close();
    assertAllGivenBack();
    assertThat(Fixtures.readAll(open(Compression.XZ, XZ_128_MIB))).isEqualTo("tiny\n".getBytes());
  }

  @Test
  void aWaitingDecoderGoesOnAsSoonAsTheMemoryIsFree() throws Exception {
    DecoderMemory patient = new DecoderMemory(136 * MIB, Duration.ofSeconds(30));
    InputStream first = new DecodingInputStream(Compression.XZ, new ByteArrayInputStream(XZ_128_MIB), patient);
    first.read();
    Thread closer = new Thread(() -> {
      try {
        Thread.sleep(300);
        first.close();
      }
      catch (InterruptedException | IOException e) {
        throw new IllegalStateException(e);
      }
    });
    closer.start();

    InputStream second = new DecodingInputStream(Compression.XZ, new ByteArrayInputStream(XZ_128_MIB), patient);
    assertThat(Fixtures.readAll(second)).isEqualTo("tiny\n".getBytes());
    closer.join();
  }

  @Test
  void aZstdFrameReservesItsWindowBeforeTheDecoderAllocatesIt() throws Exception {
    InputStream first = open(Compression.ZSTD, ZSTD_128_MIB);
    first.read();
    assertThat(memory.inUse()).isGreaterThanOrEqualTo(128 * MIB);

    assertThatThrownBy(() -> open(Compression.ZSTD, ZSTD_128_MIB).read())
        .isInstanceOf(DecoderMemoryException.class);
    assertThatThrownBy(() -> open(Compression.XZ, XZ_128_MIB).read())
        .isInstanceOf(DecoderMemoryException.class);

    Fixtures.readAll(first);
    assertAllGivenBack();
  }

  @Test
  void anAbandonedDecoderGivesItsMemoryBackWhenItIsCollected() throws InterruptedException, IOException {
    open(Compression.XZ, XZ_128_MIB).read();
    open(Compression.ZSTD, bytes("rb-1.0.nar.zst")).read();
    assertThat(memory.inUse()).isGreaterThanOrEqualTo(128 * MIB);

    assertAllGivenBack();
  }

  @Test
  void aDecoderThatFailsGivesItsMemoryBackAtOnce() {
    byte[] truncated = Arrays.copyOf(XZ_128_MIB, XZ_128_MIB.length - 20);
    InputStream decoder = open(Compression.XZ, truncated);

    assertThatThrownBy(() -> Fixtures.readAll(decoder)).isInstanceOf(CorruptDataException.class);
    assertThat(memory.inUse()).isZero();
  }

  @Test
  void smallDecodersShareTheBudget() throws IOException {
    // rb-1.0.nar.xz was written by Nix: an 8 MiB dictionary at most
    InputStream[] decoders = new InputStream[10];
    for (int i = 0; i < decoders.length; i++) {
      decoders[i] = open(Compression.XZ, bytes("rb-1.0.nar.xz"));
      decoders[i].read();
    }
    for (InputStream decoder : decoders) {
      decoder.close();
    }
    assertThat(memory.inUse()).isZero();
  }

  /**
   * Everything reserved is given back, at the latest when the arrays of decoders that failed while they were being
   * built are collected.
   */
  private void assertAllGivenBack() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (memory.inUse() > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(memory.inUse()).isZero();
  }

  private InputStream open(final Compression compression, final byte[] compressed) {
    return new DecodingInputStream(compression, new ByteArrayInputStream(compressed), memory);
  }
}
