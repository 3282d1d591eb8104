package org.sonatype.nexus.repository.nix.protocol;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A binary cache signing key in Nix's secret-key file format: {@code <name>:<base64 of 64 bytes>}, the 32-byte
 * Ed25519 seed followed by the 32-byte public key (libsodium's secret key layout), as written by
 * {@code nix key generate-secret --key-name <name>}.
 *
 * {@link #toString()} never shows the key material; {@link #toText()} is the only way to get it back out.
 */
public final class NixSecretKey
{
  private static final int SECRET_BYTES = Ed25519.SEED_BYTES + Ed25519.PUBLIC_KEY_BYTES;

  private final String name;

  private final byte[] seed;

  private final NixPublicKey publicKey;

  private final PrivateKey privateKey;

  private NixSecretKey(final String name, final byte[] seed, final byte[] publicKey) {
    this.name = name;
    this.seed = seed;
    this.publicKey = NixPublicKey.of(name, publicKey);
    this.privateKey = Ed25519.privateKey(seed);
  }

  /**
   * Parses {@code name:base64}; surrounding whitespace (such as a key file's final newline) is ignored. The public
   * half must be the one the seed yields, so a damaged or spliced key file cannot produce signatures that nobody
   * can verify.
   */
  public static NixSecretKey parse(final String text) {
    if (text == null) {
      throw new NixFormatException("secret key is null");
    }
    SignatureText parsed = SignatureText.parse(text.trim(), "secret key", SECRET_BYTES);
    byte[] bytes = parsed.bytes();
    byte[] seed = Arrays.copyOfRange(bytes, 0, Ed25519.SEED_BYTES);
    byte[] publicKey = Arrays.copyOfRange(bytes, Ed25519.SEED_BYTES, SECRET_BYTES);
    Arrays.fill(bytes, (byte) 0);
    if (!Arrays.equals(publicKey, Ed25519.derivePublicKey(seed))) {
      throw new NixFormatException("secret key '" + parsed.name() + "': the public half does not match the seed");
    }
    return new NixSecretKey(parsed.name(), seed, publicKey);
  }

  /**
   * A new random key, like {@code nix key generate-secret --key-name name}. Nix key names are conventionally
   * {@code <host>-<n>}, e.g. {@code cache.example.org-1}.
   */
  public static NixSecretKey generate(final String name) {
    SignatureText.validateName(name, "secret key");
    byte[] seed = new byte[Ed25519.SEED_BYTES];
    new SecureRandom().nextBytes(seed);
    return new NixSecretKey(name, seed, Ed25519.derivePublicKey(seed));
  }

  public String name() {
    return name;
  }

  public NixPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Signs a fingerprint (see {@link NarInfo#fingerprint()}) and returns the narinfo {@code Sig} value,
   * {@code name:base64(64-byte signature)}.
   */
  public String sign(final String fingerprint) {
    byte[] signature = Ed25519.sign(privateKey, fingerprint.getBytes(StandardCharsets.UTF_8));
    return SignatureText.format(name, signature);
  }

  /**
   * The secret-key file contents (no trailing newline, as Nix writes it). Handle with care.
   */
  public String toText() {
    byte[] both = new byte[SECRET_BYTES];
    System.arraycopy(seed, 0, both, 0, Ed25519.SEED_BYTES);
    System.arraycopy(publicKey.bytes(), 0, both, Ed25519.SEED_BYTES, Ed25519.PUBLIC_KEY_BYTES);
    String text = SignatureText.format(name, both);
    Arrays.fill(both, (byte) 0);
    return text;
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NixSecretKey)) {
      return false;
    }
    NixSecretKey other = (NixSecretKey) o;
    return name.equals(other.name) && Arrays.equals(seed, other.seed);
  }

  @Override
  public int hashCode() {
    // the public key identifies the secret key without exposing it
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "NixSecretKey{name=" + name + ", publicKey=" + publicKey.toText() + "}";
  }
}
