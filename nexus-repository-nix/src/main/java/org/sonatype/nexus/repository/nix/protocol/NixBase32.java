package org.sonatype.nexus.repository.nix.protocol;

/**
 * Nix's own base-32 encoding ("nix32"), used for store path hash parts and in {@code sha256:<nix32>} hashes.
 *
 * It is not RFC 4648 base32: the alphabet omits e, o, t and u (so encodings cannot spell common words), there is no
 * padding, and the bits are taken from the end of the byte array, so the first character holds the most significant
 * bits of the last byte.
 */
public final class NixBase32
{
  public static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";

  private static final int[] DIGIT_VALUES = new int[128];

  static {
    java.util.Arrays.fill(DIGIT_VALUES, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      DIGIT_VALUES[ALPHABET.charAt(i)] = i;
    }
  }

  private NixBase32() {
  }

  /**
   * The number of characters {@link #encode} produces for this many bytes: enough 5-bit digits for all the bits.
   */
  public static int encodedLength(final int byteCount) {
    if (byteCount < 0) {
      throw new IllegalArgumentException("negative byte count " + byteCount);
    }
    return (int) ((byteCount * 8L + 4) / 5);
  }

  public static String encode(final byte[] bytes) {
    int length = encodedLength(bytes.length);
    StringBuilder out = new StringBuilder(length);
    // Character k (counting from the right) holds bits 5k..5k+4 of the little-endian bit string of the bytes.
    for (int n = length - 1; n >= 0; n--) {
      int bit = n * 5;
      int index = bit / 8;
      int shift = bit % 8;
      int value = (bytes[index] & 0xff) >>> shift;
      if (index + 1 < bytes.length) {
        value |= (bytes[index + 1] & 0xff) << (8 - shift);
      }
      out.append(ALPHABET.charAt(value & 0x1f));
    }
    return out.toString();
  }

  /**
   * Decodes strictly: every character must be in the alphabet, the length must be one {@link #encode} can produce,
   * and the unused high bits of the first character must be zero, so each byte array has exactly one encoding.
   */
  public static byte[] decode(final String text) {
    if (text == null) {
      throw new NixFormatException("nix32 text is null");
    }
    int byteCount = (int) (text.length() * 5L / 8);
    if (encodedLength(byteCount) != text.length()) {
      throw new NixFormatException(
          "nix32 text '" + abbreviate(text) + "' has impossible length " + text.length());
    }
    byte[] bytes = new byte[byteCount];
    for (int n = 0; n < text.length(); n++) {
      char c = text.charAt(text.length() - 1 - n);
      int digit = c < 128 ? DIGIT_VALUES[c] : -1;
      if (digit < 0) {
        throw new NixFormatException(
            "nix32 text '" + abbreviate(text) + "' contains invalid character '" + printable(c) + "'");
      }
      int bit = n * 5;
      int index = bit / 8;
      int shift = bit % 8;
      bytes[index] |= (byte) (digit << shift);
      int carry = digit >>> (8 - shift);
      if (carry != 0) {
        if (index + 1 >= byteCount) {
          throw new NixFormatException(
              "nix32 text '" + abbreviate(text) + "' has non-zero padding bits");
        }
        bytes[index + 1] |= (byte) carry;
      }
    }
    return bytes;
  }

  /**
   * True for a non-empty string made only of nix32 alphabet characters (regardless of length).
   */
  public static boolean isNix32(final String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 128 || DIGIT_VALUES[c] < 0) {
        return false;
      }
    }
    return true;
  }

  public static String abbreviate(final String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  public static String printable(final char c) {
    return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}
