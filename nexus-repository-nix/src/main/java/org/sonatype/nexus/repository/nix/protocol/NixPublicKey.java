package org.sonatype.nexus.repository.nix.protocol;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * A trusted-public-keys entry: {@code <name>:<base64 of the 32-byte Ed25519 public key>}, as printed by
 * {@code nix key convert-secret-to-public}. A signature counts for this key only if it carries the same name.
 */
public final class NixPublicKey
{
  public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_BYTES;

  private final String name;

  private final byte[] key;

  private final PublicKey publicKey;

  private NixPublicKey(final String name, final byte[] key) {
    this.name = name;
    this.key = key;
    this.publicKey = Ed25519.publicKey(key);
  }

  /**
   * Parses {@code name:base64}; surrounding whitespace (such as a key file's final newline) is ignored.
   */
  public static NixPublicKey parse(final String text) {
    if (text == null) {
      throw new NixFormatException("public key is null");
    }
    SignatureText parsed = SignatureText.parse(text.trim(), "public key", Ed25519.PUBLIC_KEY_BYTES);
    return new NixPublicKey(parsed.name(), parsed.bytes());
  }

  static NixPublicKey of(final String name, final byte[] key) {
    return new NixPublicKey(name, key.clone());
  }

  public String name() {
    return name;
  }

  /**
   * The raw 32-byte key.
   */
  public byte[] bytes() {
    return key.clone();
  }

  public String toText() {
    return SignatureText.format(name, key);
  }

  /**
   * True if {@code signature} ({@code name:base64}) carries this key's name and is a valid signature of
   * {@code fingerprint}. Never throws for malformed signature text: it simply does not verify.
   */
  public boolean verify(final String fingerprint, final String signature) {
    if (fingerprint == null || signature == null) {
      return false;
    }
    SignatureText parsed;
    try {
      parsed = SignatureText.parse(signature, "signature", SIGNATURE_BYTES);
    }
    catch (NixFormatException e) {
      return false;
    }
    return name.equals(parsed.name())
        && Ed25519.verify(publicKey, fingerprint.getBytes(StandardCharsets.UTF_8), parsed.bytes());
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NixPublicKey)) {
      return false;
    }
    NixPublicKey other = (NixPublicKey) o;
    return name.equals(other.name) && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return toText();
  }
}
