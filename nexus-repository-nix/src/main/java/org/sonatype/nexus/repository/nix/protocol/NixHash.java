package org.sonatype.nexus.repository.nix.protocol;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A typed digest as Nix writes it. Nix itself always writes {@code sha256:<nix32>}, but accepts the digest in
 * nix32, base16 or base64 after a {@code <type>:} prefix, and the SRI form {@code <type>-<base64>}; the encoding is
 * told apart by its length, which differs for every encoding of a given type.
 */
public final class NixHash
{
  private final NixHashType type;

  private final byte[] bytes;

  private NixHash(final NixHashType type, final byte[] bytes) {
    this.type = type;
    this.bytes = bytes;
  }

  public static NixHash of(final NixHashType type, final byte[] digest) {
    requireNonNull(type, "type");
    requireNonNull(digest, "digest");
    if (digest.length != type.size()) {
      throw new IllegalArgumentException(
          type.nixName() + " digest must be " + type.size() + " bytes, got " + digest.length);
    }
    return new NixHash(type, digest.clone());
  }

  /**
   * Parses {@code <type>:<nix32|base16|base64>} or SRI {@code <type>-<base64>}. A bare digest has no type and is
   * rejected: Nix treats an unprefixed narinfo hash as corrupt.
   */
  public static NixHash parse(final String text) {
    if (text == null) {
      throw new NixFormatException("hash is null");
    }
    int colon = text.indexOf(':');
    if (colon >= 0) {
      NixHashType type = parseType(text, text.substring(0, colon));
      return new NixHash(type, decodeAny(text, type, text.substring(colon + 1)));
    }
    int dash = text.indexOf('-');
    if (dash >= 0 && isKnownTypeName(text.substring(0, dash))) {
      NixHashType type = NixHashType.fromNixName(text.substring(0, dash));
      String digest = text.substring(dash + 1);
      if (digest.length() != type.base64Length()) {
        throw new NixFormatException("SRI hash '" + NixBase32.abbreviate(text) + "' has a digest of length "
            + digest.length() + ", expected " + type.base64Length() + " base64 characters for " + type.nixName());
      }
      return new NixHash(type, decodeBase64(text, digest));
    }
    throw new NixFormatException("hash '" + NixBase32.abbreviate(text)
        + "' has no algorithm prefix (expected e.g. 'sha256:<nix32>')");
  }

  private static boolean isKnownTypeName(final String name) {
    for (NixHashType type : NixHashType.values()) {
      if (type.nixName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static NixHashType parseType(final String text, final String name) {
    try {
      return NixHashType.fromNixName(name);
    }
    catch (NixFormatException e) {
      throw new NixFormatException("hash '" + NixBase32.abbreviate(text) + "' has " + e.getMessage(), e);
    }
  }

  private static byte[] decodeAny(final String text, final NixHashType type, final String digest) {
    int length = digest.length();
    if (length == type.base16Length()) {
      return decodeBase16(text, digest);
    }
    if (length == type.nix32Length()) {
      try {
        return NixBase32.decode(digest);
      }
      catch (NixFormatException e) {
        throw new NixFormatException("hash '" + NixBase32.abbreviate(text) + "': " + e.getMessage(), e);
      }
    }
    if (length == type.base64Length()) {
      return decodeBase64(text, digest);
    }
    throw new NixFormatException("hash '" + NixBase32.abbreviate(text) + "' has a digest of length " + length
        + "; a " + type.nixName() + " digest is " + type.nix32Length() + " (nix32), " + type.base16Length()
        + " (base16) or " + type.base64Length() + " (base64) characters");
  }

  private static byte[] decodeBase16(final String text, final String digest) {
    byte[] out = new byte[digest.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int high = Character.digit(digest.charAt(2 * i), 16);
      int low = Character.digit(digest.charAt(2 * i + 1), 16);
      if (high < 0 || low < 0 || !isAsciiHex(digest.charAt(2 * i)) || !isAsciiHex(digest.charAt(2 * i + 1))) {
        throw new NixFormatException("hash '" + NixBase32.abbreviate(text) + "' is not valid base16");
      }
      out[i] = (byte) (high << 4 | low);
    }
    return out;
  }

  private static boolean isAsciiHex(final char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static byte[] decodeBase64(final String text, final String digest) {
    byte[] out;
    try {
      out = Base64.getDecoder().decode(digest);
    }
    catch (IllegalArgumentException e) {
      throw new NixFormatException("hash '" + NixBase32.abbreviate(text) + "' is not valid base64", e);
    }
    // The JDK decoder ignores non-zero bits in the last character; insisting on the canonical form keeps one
    // digest to one text.
    if (!Base64.getEncoder().encodeToString(out).equals(digest)) {
      throw new NixFormatException("hash '" + NixBase32.abbreviate(text) + "' is not canonical base64");
    }
    return out;
  }

  public NixHashType type() {
    return type;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The digest alone in nix32, without the type prefix.
   */
  public String toNix32() {
    return NixBase32.encode(bytes);
  }

  /**
   * The digest alone in lower-case hex, without the type prefix.
   */
  public String toBase16() {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The digest alone in standard, padded base64, without the type prefix.
   */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Subresource-integrity form, e.g. {@code sha256-<base64>}, as {@code nix path-info --json} prints.
   */
  public String toSri() {
    return type.nixName() + "-" + toBase64();
  }

  /**
   * The canonical form Nix writes into narinfos and signs: {@code <type>:<nix32>}.
   */
  @Override
  public String toString() {
    return type.nixName() + ":" + toNix32();
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NixHash)) {
      return false;
    }
    NixHash other = (NixHash) o;
    return type == other.type && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(bytes);
  }
}
