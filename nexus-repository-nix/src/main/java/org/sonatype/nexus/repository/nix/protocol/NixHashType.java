package org.sonatype.nexus.repository.nix.protocol;

/**
 * The hash algorithms Nix knows, with the names it uses in hash prefixes ({@code sha256:...}, {@code sha256-...}).
 */
public enum NixHashType
{
  MD5("md5", "MD5", 16),
  SHA1("sha1", "SHA-1", 20),
  SHA256("sha256", "SHA-256", 32),
  SHA512("sha512", "SHA-512", 64);

  private final String nixName;

  private final String javaName;

  private final int size;

  NixHashType(final String nixName, final String javaName, final int size) {
    this.nixName = nixName;
    this.javaName = javaName;
    this.size = size;
  }

  public String nixName() {
    return nixName;
  }

  /**
   * The {@link java.security.MessageDigest} algorithm name.
   */
  public String javaName() {
    return javaName;
  }

  /**
   * Digest size in bytes.
   */
  public int size() {
    return size;
  }

  public int base16Length() {
    return size * 2;
  }

  public int nix32Length() {
    return NixBase32.encodedLength(size);
  }

  public int base64Length() {
    return (size + 2) / 3 * 4;
  }

  /**
   * Exact, case-sensitive lookup, as Nix does ("SHA256" is not a Nix hash name).
   */
  public static NixHashType fromNixName(final String name) {
    for (NixHashType type : values()) {
      if (type.nixName.equals(name)) {
        return type;
      }
    }
    throw new NixFormatException("unknown hash algorithm '" + name + "' (expected md5, sha1, sha256 or sha512)");
  }
}
