package org.sonatype.nexus.repository.nix.protocol;

import java.util.Base64;

/**
 * The {@code <name>:<base64>} text Nix uses for secret keys, public keys and signatures. The name is everything
 * before the first colon; Nix matches signatures to keys by it.
 */
public final class SignatureText
{
  /** An Ed25519 signature, the only kind Nix makes. */
  public static final int SIGNATURE_BYTES = 64;

  private final String name;

  private final byte[] bytes;

  private SignatureText(final String name, final byte[] bytes) {
    this.name = name;
    this.bytes = bytes;
  }

  /**
   * @param what         what the text is, for error messages ("signature", "public key"...)
   * @param expectedSize required size of the decoded bytes
   */
  public static SignatureText parse(final String text, final String what, final int expectedSize) {
    if (text == null) {
      throw new NixFormatException(what + " is null");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new NixFormatException(what + " '" + shown(text, what) + "' is not '<name>:<base64>'");
    }
    String name = text.substring(0, colon);
    validateName(name, what);
    String encoded = text.substring(colon + 1);
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded);
    }
    catch (IllegalArgumentException e) {
      throw new NixFormatException(what + " '" + shown(text, what) + "' is not valid base64 after the name", e);
    }
    if (!Base64.getEncoder().encodeToString(bytes).equals(encoded)) {
      throw new NixFormatException(what + " '" + shown(text, what) + "' is not canonical, padded base64");
    }
    if (bytes.length != expectedSize) {
      throw new NixFormatException(what + " '" + shown(text, what) + "' decodes to " + bytes.length
          + " bytes, expected " + expectedSize);
    }
    return new SignatureText(name, bytes);
  }

  public static void validateName(final String name, final String what) {
    if (name.isEmpty()) {
      throw new NixFormatException(what + " has an empty key name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c == 0x7f || c == ':') {
        throw new NixFormatException(what + " key name '" + name + "' contains illegal character '"
            + NixBase32.printable(c) + "'");
      }
    }
  }

  public static String format(final String name, final byte[] bytes) {
    return name + ":" + Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Never echo key material into an exception message: a secret key pasted where a public key belongs (both are
   * {@code name:base64}) must not end up in an error response or a log either.
   */
  private static String shown(final String text, final String what) {
    if (what.contains("key")) {
      int colon = text.indexOf(':');
      return (colon < 0 ? "" : text.substring(0, colon + 1)) + "<redacted>";
    }
    return NixBase32.abbreviate(text);
  }

  public String name() {
    return name;
  }

  public byte[] bytes() {
    return bytes.clone();
  }
}
