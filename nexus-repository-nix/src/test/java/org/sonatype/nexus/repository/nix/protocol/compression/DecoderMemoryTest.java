package org.sonatype.nexus.repository.nix.protocol.compression;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.CorruptDataException;
import org.sonatype.nexus.repository.nix.protocol.Fixtures;
import org.sonatype.nexus.repository.nix.protocol.NixVectors;
import org.sonatype.nexus.repository.nix.protocol.tar.SourceTree;
import org.sonatype.nexus.repository.nix.protocol.tar.TarballLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.Fixtures.bytes;

/**
 * Decoders share one memory budget ({@link DecoderMemory}): a stream of a few dozen bytes can make its decoder
 * allocate up to 128 MiB, so what matters is how many do so at once.
 *
 * The fixtures were written by the real tools: {@code printf 'tiny\n' | xz --lzma2=dict=16MiB} (64 bytes, the decoder
 * allocates its 16 MiB dictionary as the stream starts) and {@code printf 'tiny\n' | zstd --long=24} (18 bytes, a
 * frame with a 16 MiB window and no content size). The budget here is 17 MiB, room for one of them: the real one
 * ({@link DecoderMemory#SHARED}) has room for one 128 MiB decoder, the most a stream may ask for.
 */
class DecoderMemoryTest
{
  private static final long MIB = 1 << 20;

  private static final byte[] XZ_16_MIB = bytes("dictionary-16mib.xz");

  private static final byte[] ZSTD_16_MIB = bytes("window-16mib.zst");

  private final DecoderMemory memory = new DecoderMemory(17 * MIB, Duration.ofMillis(200));

  @Test
  void theBudgetIsAnEighthOfTheHeapAndAtLeastTheLargestDecoderAndTree() {
    assertThat(DecoderMemory.budgetFor(1L << 30)).isEqualTo(160 * MIB);
    assertThat(DecoderMemory.budgetFor(2703 * MIB)).isEqualTo(2703 * MIB / 8);
    assertThat(DecoderMemory.budgetFor(256 * MIB)).isEqualTo(160 * MIB);
  }

  @Test
  void anXzDecoderHoldsItsDictionaryFromTheBudgetUntilItsStreamEnds() throws IOException {
    InputStream decoder = open(Compression.XZ, XZ_16_MIB);

    assertThat(decoder.read()).isEqualTo('t');
    assertThat(memory.inUse()).isGreaterThanOrEqualTo(16 * MIB);

    Fixtures.readAll(decoder);
    assertThat(memory.inUse()).isZero();
  }

  @Test
  void aSecondLargeDecoderWaitsAndThenFailsAsBusyNotAsCorruptData() throws Exception {
    InputStream first = open(Compression.XZ, XZ_16_MIB);
    first.read();

    assertThatThrownBy(() -> open(Compression.XZ, XZ_16_MIB).read())
        .isInstanceOf(DecoderMemoryException.class)
        .isNotInstanceOf(CorruptDataException.class)
        .hasMessageContaining("the server is decompressing too much at once")
        .hasMessageContaining("of the 17 MiB decoders share are in use; try again later");

    first.close();
    assertAllGivenBack();
    assertThat(Fixtures.readAll(open(Compression.XZ, XZ_16_MIB))).isEqualTo("tiny\n".getBytes());
  }

  @Test
  void aWaitingDecoderGoesOnAsSoonAsTheMemoryIsFree() throws Exception {
    DecoderMemory patient = new DecoderMemory(17 * MIB, Duration.ofSeconds(30));
    InputStream first = new DecodingInputStream(Compression.XZ, new ByteArrayInputStream(XZ_16_MIB), patient);
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

    InputStream second = new DecodingInputStream(Compression.XZ, new ByteArrayInputStream(XZ_16_MIB), patient);
    assertThat(Fixtures.readAll(second)).isEqualTo("tiny\n".getBytes());
    closer.join();
  }

  @Test
  void aZstdFrameReservesItsWindowBeforeTheDecoderAllocatesIt() throws Exception {
    InputStream first = open(Compression.ZSTD, ZSTD_16_MIB);
    first.read();
    assertThat(memory.inUse()).isGreaterThanOrEqualTo(16 * MIB);

    assertThatThrownBy(() -> open(Compression.ZSTD, ZSTD_16_MIB).read())
        .isInstanceOf(DecoderMemoryException.class);
    assertThatThrownBy(() -> open(Compression.XZ, XZ_16_MIB).read())
        .isInstanceOf(DecoderMemoryException.class);

    Fixtures.readAll(first);
    assertAllGivenBack();
  }

  @Test
  void anAbandonedDecoderGivesItsMemoryBackWhenItIsCollected() throws InterruptedException, IOException {
    open(Compression.XZ, XZ_16_MIB).read();
    assertThat(memory.inUse()).isGreaterThanOrEqualTo(16 * MIB);
    assertAllGivenBack();

    open(Compression.ZSTD, ZSTD_16_MIB).read();
    assertThat(memory.inUse()).isGreaterThanOrEqualTo(16 * MIB);
    assertAllGivenBack();
  }

  @Test
  void aDecoderThatFailsGivesItsMemoryBackAtOnce() {
    byte[] truncated = Arrays.copyOf(XZ_16_MIB, XZ_16_MIB.length - 20);
    InputStream decoder = open(Compression.XZ, truncated);

    assertThatThrownBy(() -> Fixtures.readAll(decoder)).isInstanceOf(CorruptDataException.class);
    assertThat(memory.inUse()).isZero();
  }

  @Test
  void decodersShareTheBudgetAsLongAsItLasts() throws Exception {
    // rb-1.0.nar.xz was written by Nix (xz -6): an 8 MiB dictionary; two fit in 17 MiB, a third must wait
    InputStream first = open(Compression.XZ, bytes("rb-1.0.nar.xz"));
    InputStream second = open(Compression.XZ, bytes("rb-1.0.nar.xz"));
    first.read();
    second.read();

    assertThatThrownBy(() -> open(Compression.XZ, bytes("rb-1.0.nar.xz")).read())
        .isInstanceOf(DecoderMemoryException.class);

    first.close();
    InputStream third = open(Compression.XZ, bytes("rb-1.0.nar.xz"));
    assertThat(Fixtures.readAll(third)).hasSize((int) NixVectors.RB_NAR_SIZE);
    second.close();
    assertAllGivenBack();
  }

  @Test
  void aTreeOfNamesReservesItsArraysAsItGrowsAndGivesThemBackWhenClosed() throws Exception {
    SourceTree tree = SourceTree.namesOnly(TarballLimits.DEFAULT, memory);
    for (int i = 0; i < 10_000; i++) {
      tree.addDirectory("top/d" + i);
    }
    assertThat(memory.inUse()).isGreaterThan(10_000L * 35);

    // 17 MiB do not hold 250,000 nodes and their names: the tree waits, then gives up as busy
    assertThatThrownBy(() -> {
      for (int i = 0; i < 240_000; i++) {
        tree.addDirectory("top/e" + i + "-" + "n".repeat(40));
      }
    }).isInstanceOf(DecoderMemory.Exhausted.class);

    tree.close();
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
