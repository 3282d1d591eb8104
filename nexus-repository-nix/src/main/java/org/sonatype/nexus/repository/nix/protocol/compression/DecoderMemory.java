package org.sonatype.nexus.repository.nix.protocol.compression;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tukaani.xz.ArrayCache;

/**
 * The memory that stream decoders hold at once, shared by every decoder of the JVM.
 *
 * <p>An xz or lzip decoder allocates its whole dictionary on the heap as a stream starts, whatever the stream's
 * length: a stream of sixty bytes can ask for {@link Compression#MAX_WINDOW_BYTES} (128 MiB), and eight such uploads
 * at once would take a gigabyte. A zstd decoder likewise allocates its window (natively) as a frame starts. Each
 * decoder's memory is bounded by {@link Compression#MAX_WINDOW_BYTES}; this bounds their sum: a decoder reserves what
 * it allocates from one budget before allocating it, and waits (up to a deadline) while other decoders hold the rest.
 * A decoder that cannot get its memory in time fails with a {@link DecoderMemoryException}, which is the server's
 * state, not the sender's fault (a 503, never a refusal of the data).
 *
 * <p>Reservations end when the decoder hands its arrays back (at the end of its stream, or when it is closed) or,
 * failing that, when the arrays become unreachable: an abandoned decoder never keeps its share.
 *
 * <p>The trees of names that reading tarballs builds ({@link SourceTree}) reserve from the same budget as they grow.
 *
 * <p>The budget is an eighth of the maximum heap, and at least room for the largest decoder and the largest tree at
 * once ({@link #SHARED}): 160 MiB on a 1 GiB heap (one decoder of 128 MiB, or 20 of the 8 MiB {@code xz -6} uses),
 * 338 MiB on Nexus's default 2,703 MiB.
 */
public final class DecoderMemory
    extends ArrayCache
{
  /** The budget every decoder of this JVM shares. */
  public static final DecoderMemory SHARED = new DecoderMemory(budgetFor(Runtime.getRuntime().maxMemory()),
      Duration.ofSeconds(30));

  private static final Cleaner CLEANER = Cleaner.create();

  private final long budget;

  private final long waitNanos;

  /** Guarded by this. */
  private long inUse;

  /** The reservation of each array handed out and not yet handed back (weakly: an abandoned array releases its). */
  private final Map<Object, Cleaner.Cleanable> held = Collections.synchronizedMap(new WeakHashMap<>());

  DecoderMemory(final long budget, final Duration wait) {
    this.budget = budget;
    this.waitNanos = wait.toNanos();
  }

  /** An eighth of the heap, and at least room for the largest decoder and the largest tree of names at once. */
  public static long budgetFor(final long maxHeap) {
    return Math.max(Compression.MAX_WINDOW_BYTES + (32L << 20), maxHeap / 8);
  }

  public long budget() {
    return budget;
  }

  /** Bytes reserved now. */
  public synchronized long inUse() {
    return inUse;
  }

  @Override
  public byte[] getByteArray(final int size, final boolean fillWithZeros) {
    Reservation reservation = reserve(size);
    byte[] array;
    try {
      array = new byte[size];
    }
    catch (OutOfMemoryError e) {
      reservation.run();
      throw e;
    }
    held.put(array, CLEANER.register(array, reservation));
    return array;
  }

  @Override
  public void putArray(final byte[] array) {
    release(array);
  }

  @Override
  public int[] getIntArray(final int size, final boolean fillWithZeros) {
    Reservation reservation = reserve(4L * size);
    int[] array;
    try {
      array = new int[size];
    }
    catch (OutOfMemoryError e) {
      reservation.run();
      throw e;
    }
    held.put(array, CLEANER.register(array, reservation));
    return array;
  }

  @Override
  public void putArray(final int[] array) {
    release(array);
  }

  /**
   * Reserves memory a decoder allocates outside this cache (zstd's native window), until the returned reservation
   * is run, or {@code owner} becomes unreachable.
   *
   * @throws Exhausted if the memory does not become free in time
   */
  public Runnable reserveFor(final Object owner, final long bytes) {
    Reservation reservation = reserve(bytes);
    Cleaner.Cleanable cleanable = CLEANER.register(owner, reservation);
    return cleanable::clean;
  }

  private void release(final Object array) {
    Cleaner.Cleanable reservation = held.remove(array);
    if (reservation != null) {
      reservation.clean();
    }
  }

  private Reservation reserve(final long bytes) {
    synchronized (this) {
      if (bytes > budget) {
        throw new Exhausted("a decoder asked for " + mib(bytes) + ", more than the " + mib(budget) + " all decoders "
            + "share");
      }
      long deadline = System.nanoTime() + waitNanos;
      while (inUse + bytes > budget) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new Exhausted("the server is decompressing too much at once: a decoder needs " + mib(bytes) + " and "
              + mib(inUse) + " of the " + mib(budget) + " decoders share are in use; try again later");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Exhausted("interrupted while waiting for decoder memory");
        }
      }
      inUse += bytes;
    }
    return new Reservation(this, bytes);
  }

  private synchronized void free(final long bytes) {
    inUse -= bytes;
    notifyAll();
  }

  private static String mib(final long bytes) {
    return (bytes + (1 << 20) - 1 >> 20) + " MiB";
  }

  /** Gives its bytes back once, whoever runs it first: the decoder, or the cleaner after the array is gone. */
  private static final class Reservation
      implements Runnable
  {
    private final DecoderMemory memory;

    private final long bytes;

    private final AtomicBoolean released = new AtomicBoolean();

    Reservation(final DecoderMemory memory, final long bytes) {
      this.memory = memory;
      this.bytes = bytes;
    }

    @Override
    public void run() {
      if (released.compareAndSet(false, true)) {
        memory.free(bytes);
      }
    }
  }

  /**
   * Unchecked, because the decoder library calls the cache where it cannot throw; {@link DecodingInputStream} turns
   * it into a {@link DecoderMemoryException}.
   */
  public static final class Exhausted
      extends RuntimeException
  {
    public Exhausted(final String message) {
      super(message);
    }
  }
}
