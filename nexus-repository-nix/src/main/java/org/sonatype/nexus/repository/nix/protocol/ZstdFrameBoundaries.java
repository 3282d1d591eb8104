package org.sonatype.nexus.repository.nix.protocol;

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
        boolean singleSegment = (descriptor & 0x20) != 0;
        checksum = (descriptor & 0x04) != 0;
        int contentSizeBytes = contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : 1 << contentSizeFlag;
        enter(State.FRAME_HEADER_REST,
            (singleSegment ? 0 : 1) + DICTIONARY_ID_BYTES[descriptor & 0x03] + contentSizeBytes);
        break;
      }
      case FRAME_HEADER_REST:
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

  private void enter(final State next, final long bytes) {
    state = next;
    remaining = bytes;
    if (bytes == 0 && next != State.UNKNOWN && next != State.NO_FRAME) {
      advance();
    }
  }
}
