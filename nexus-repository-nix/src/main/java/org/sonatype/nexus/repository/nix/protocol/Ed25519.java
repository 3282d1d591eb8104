package org.sonatype.nexus.repository.nix.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 through the JDK (15+) provider, reached only through Java 11 APIs so the plugin can compile for release
 * 11: raw keys are wrapped in their fixed RFC 8410 DER prefixes instead of using {@code EdECPrivateKeySpec} and
 * {@code EdECPublicKeySpec}. Ed25519 signatures are deterministic, so these are byte-identical to libsodium's.
 */
final class Ed25519
{
  static final int SEED_BYTES = 32;

  static final int PUBLIC_KEY_BYTES = 32;

  static final int SIGNATURE_BYTES = SignatureText.SIGNATURE_BYTES;

  private static final String ALGORITHM = "Ed25519";

  /** PKCS#8 PrivateKeyInfo for id-Ed25519 wrapping a 32-byte seed. */
  private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

  /** X.509 SubjectPublicKeyInfo for id-Ed25519 wrapping a 32-byte public key. */
  private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");

  private Ed25519() {
  }

  static PrivateKey privateKey(final byte[] seed) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
    }
    catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot load an Ed25519 private key", e);
    }
  }

  static PublicKey publicKey(final byte[] raw) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
    }
    catch (GeneralSecurityException e) {
      throw new NixFormatException("invalid Ed25519 public key", e);
    }
  }

  /**
   * The public key for a seed. The JDK has no direct API for this, so the key pair generator is fed the seed as its
   * "random" bytes; the generated private key is then checked to hold exactly that seed, so a JDK that drew its
   * randomness differently would fail loudly instead of producing a wrong key.
   */
  static byte[] derivePublicKey(final byte[] seed) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(new NamedParameterSpec(ALGORITHM), new FixedBytesRandom(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] privateEncoded = pair.getPrivate().getEncoded();
      if (!Arrays.equals(privateEncoded, concat(PKCS8_PREFIX, seed))) {
        throw new IllegalStateException("the JDK did not derive the Ed25519 key from the given seed");
      }
      byte[] publicEncoded = pair.getPublic().getEncoded();
      if (publicEncoded.length != X509_PREFIX.length + PUBLIC_KEY_BYTES
          || !Arrays.equals(Arrays.copyOf(publicEncoded, X509_PREFIX.length), X509_PREFIX)) {
        throw new IllegalStateException("unexpected Ed25519 public key encoding from the JDK");
      }
      return Arrays.copyOfRange(publicEncoded, X509_PREFIX.length, publicEncoded.length);
    }
    catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519 support", e);
    }
  }

  static byte[] sign(final PrivateKey key, final byte[] message) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    }
    catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * False for any signature that does not verify, including malformed ones the JDK rejects with an exception.
   */
  static boolean verify(final PublicKey key, final byte[] message, final byte[] signatureBytes) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(key);
      signature.update(message);
      return signature.verify(signatureBytes);
    }
    catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] concat(final byte[] a, final byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(final String text) {
    byte[] out = new byte[text.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /**
   * A "random" source that hands out one fixed seed, exactly once.
   */
  private static final class FixedBytesRandom
      extends SecureRandom
  {
    private static final long serialVersionUID = 1L;

    FixedBytesRandom(final byte[] seed) {
      super(new FixedBytesSpi(seed), (Provider) null);
    }
  }

  private static final class FixedBytesSpi
      extends SecureRandomSpi
  {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;

    private boolean used;

    FixedBytesSpi(final byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    protected void engineSetSeed(final byte[] seed) {
      // fixed output; nothing to mix in
    }

    @Override
    protected void engineNextBytes(final byte[] out) {
      if (used || out.length != bytes.length) {
        throw new IllegalStateException("unexpected request for " + out.length + " random bytes");
      }
      used = true;
      System.arraycopy(bytes, 0, out, 0, out.length);
    }

    @Override
    protected byte[] engineGenerateSeed(final int numBytes) {
      throw new UnsupportedOperationException();
    }
  }
}
