package org.sonatype.nexus.repository.nix.protocol.compression;

/**
 * Follows the frames of a zstd stream through its compressed bytes (frame headers and block headers only, no
 * decoding), to tell whether the stream ends between two frames, or inside one or in bytes that start none.
 *
 * zstd-jni's decoder does not always say: when a complete frame is followed, in the same read from its source, by
 * bytes too few for a frame header (up to four bytes of anything) or by a frame cut short, it ends the stream cleanly
 * at the end of the source, as if those bytes were not there. libarchive, and so Nix, refuses such a stream
 * ("Truncated zstd input"). {@link DecodingInputStream} feeds this everything the decoder reads and refuses a stream
 * that does not end between frames.
 *
 * Only what the frame format (RFC 8878) fixes is followed: zstd frames, skippable frames, block headers and the
 * optional content checksum; the decoder still checks everything else. A legacy frame (zstd before 0.8, which the
 * decoder may still read) or a reserved block type makes this give up: {@link #endsBetweenFrames()} is then true and
 * the decoder alone decides.
 *
 * It also reads from each frame header what the decoder will allocate for the frame ({@link #largestFrameMemory()}),
 * so that {@link DecoderMemory} can reserve it before the decoder sees the header.
 */
final class ZstdFrameBoundaries
{
  private static final long FRAME_MAGIC = 0xFD2FB528L;

  private static final long SKIPPABLE_MAGIC = 0x184D2A50L;

  private static final long SKIPPABLE_MASK = 0xFFFFFFF0L;

  /** zstd 0.1 to 0.7. */
  private static final long LEGACY_MAGIC_FIRST = 0xFD2FB51EL;

  private static final long LEGACY_MAGIC_LAST = 0xFD2FB527L;

  private static final int[] DICTIONARY_ID_BYTES = {0, 1, 2, 4};

  private enum State
  {
    MAGIC,
    SKIPPABLE_SIZE,
    SKIPPABLE_DATA,
    FRAME_HEADER_DESCRIPTOR,
    FRAME_HEADER_REST,
    BLOCK_HEADER,
    BLOCK_DATA,
    CHECKSUM,
    /** Bytes where a frame should start that start none: if the decoder ends cleanly after them, they trail it. */
    NO_FRAME,
    /** Not a format followed here: no verdict. */
    UNKNOWN
  }

  private State state = State.MAGIC;

  /** Bytes still to take in the current state. */
  private long remaining = 4;

  /** The little-endian field being read (at most 4 bytes: magic, sizes, descriptor, block header). */
  private long field;

  private int fieldBytes;

  private boolean checksum;

  private boolean lastBlock;

  /** The frame header after its descriptor: window descriptor, dictionary ID, content size (at most 13 bytes). */
  private final byte[] headerRest = new byte[13];

  private int headerRestBytes;

  private boolean singleSegment;

  private int dictionaryIdBytes;

  private int contentSizeBytes;

  /** The most a frame so far makes the decoder allocate: its window (or content, if smaller) and a block. */
  private long largestFrameMemory;

  /** What the frames so far make the decoder allocate at most (buffers are kept for the next frame). */
  long largestFrameMemory() {
    return largestFrameMemory;
  }

  /** Takes the next {@code length} bytes of the compressed stream. */
  void update(final byte[] bytes, final int offset, final int length) {
    int i = offset;
    int end = offset + length;
    while (i < end && state != State.UNKNOWN && state != State.NO_FRAME) {
      int n = (int) Math.min(remaining, end - i);
      if (collectsField()) {
        for (int k = 0; k < n; k++) {
          field |= (bytes[i + k] & 0xffL) << (8 * fieldBytes++);
        }
      }
      else if (state == State.FRAME_HEADER_REST) {
        System.arraycopy(bytes, i, headerRest, headerRestBytes, n);
        headerRestBytes += n;
      }
      i += n;
      remaining -= n;
      if (remaining == 0) {
        advance();
      }
    }
  }

  /** Takes the next byte of the compressed stream. */
  void update(final int b) {
    update(new byte[]{(byte) b}, 0, 1);
  }

  /** Bytes went past unseen (skipped): no verdict from now on. */
  void lostTrack() {
    state = State.UNKNOWN;
  }

  /**
   * @return true if the bytes so far end between two frames (or are none), or this could not follow them; false if
   * they end inside a frame or a skippable frame, or in bytes that start no frame
   */
  boolean endsBetweenFrames() {
    return state == State.UNKNOWN || (state == State.MAGIC && remaining == 4);
  }

  private boolean collectsField() {
    return state == State.MAGIC || state == State.SKIPPABLE_SIZE || state == State.FRAME_HEADER_DESCRIPTOR
        || state == State.BLOCK_HEADER;
  }

  private void advance() {
    long value = field;
    field = 0;
    fieldBytes = 0;
    switch (state) {
      case MAGIC:
        if (value == FRAME_MAGIC) {
          enter(State.FRAME_HEADER_DESCRIPTOR, 1);
        }
        else if ((value & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
          enter(State.SKIPPABLE_SIZE, 4);
        }
        else if (value >= LEGACY_MAGIC_FIRST && value <= LEGACY_MAGIC_LAST) {
          enter(State.UNKNOWN, 0);
        }
        else {
          enter(State.NO_FRAME, 0);
        }
        break;
      case SKIPPABLE_SIZE:
        enter(State.SKIPPABLE_DATA, value);
        break;
      case FRAME_HEADER_DESCRIPTOR: {
        int descriptor = (int) value;
        int contentSizeFlag = descriptor >>> 6;
        singleSegment = (descriptor & 0x20) != 0;
        checksum = (descriptor & 0x04) != 0;
        dictionaryIdBytes = DICTIONARY_ID_BYTES[descriptor & 0x03];
        contentSizeBytes = contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : 1 << contentSizeFlag;
        headerRestBytes = 0;
        enter(State.FRAME_HEADER_REST, (singleSegment ? 0 : 1) + dictionaryIdBytes + contentSizeBytes);
        break;
      }
      case FRAME_HEADER_REST:
        largestFrameMemory = Math.max(largestFrameMemory, frameMemory());
        enter(State.BLOCK_HEADER, 3);
        break;
      case BLOCK_HEADER: {
        lastBlock = (value & 1) != 0;
        int type = (int) (value >>> 1) & 0x03;
        long size = value >>> 3;
        if (type == 3) {
          // reserved: the decoder refuses it
          enter(State.UNKNOWN, 0);
        }
        else {
          // an RLE block holds one byte, repeated size times
          enter(State.BLOCK_DATA, type == 1 ? 1 : size);
        }
        break;
      }
      case BLOCK_DATA:
        if (!lastBlock) {
          enter(State.BLOCK_HEADER, 3);
        }
        else {
          enter(checksum ? State.CHECKSUM : State.MAGIC, 4);
        }
        break;
      case SKIPPABLE_DATA:
      case CHECKSUM:
        enter(State.MAGIC, 4);
        break;
      default:
        break;
    }
  }

  /**
   * What zstd's streaming decoder allocates for the frame whose header was just read: a window (RFC 8878, 3.1.1.1.2)
   * plus a block, no more than the content when the header gives its size, and an input block.
   */
  private long frameMemory() {
    long block = 128 << 10;
    long contentSize = -1;
    int at = singleSegment ? 0 : 1;
    at += dictionaryIdBytes;
    if (contentSizeBytes > 0) {
      contentSize = 0;
      for (int k = 0; k < contentSizeBytes; k++) {
        contentSize |= (headerRest[at + k] & 0xffL) << (8 * k);
      }
      if (contentSizeBytes == 2) {
        contentSize += 256;
      }
    }
    long window;
    if (singleSegment) {
      window = contentSize;
    }
    else {
      int descriptor = headerRest[0] & 0xff;
      long base = 1L << (10 + (descriptor >>> 3));
      window = base + (base / 8) * (descriptor & 0x07);
    }
    // the decoder refuses a window beyond its limit (or beyond a long) before allocating it
    if (window < 0 || window > Compression.MAX_WINDOW_BYTES) {
      window = Compression.MAX_WINDOW_BYTES;
    }
    long buffer = window + block;
    // contentSize < 0: unknown
    if (contentSize >= 0 && contentSize < buffer) {
      buffer = contentSize;
    }
    return buffer + block;
  }

  private void enter(final State next, final long bytes) {
    state = next;
    remaining = bytes;
    if (bytes == 0 && next != State.UNKNOWN && next != State.NO_FRAME) {
      advance();
    }
  }
}
