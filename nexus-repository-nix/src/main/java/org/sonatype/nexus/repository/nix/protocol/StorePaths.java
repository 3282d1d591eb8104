package org.sonatype.nexus.repository.nix.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * How Nix computes store paths from what they contain ({@code Store::makeStorePath} and the functions built on it):
 * the hash part is the SHA-256 of {@code <type>:<hash as type:base16>:<store dir>:<name>}, XOR-folded to 20 bytes
 * and written in nix32. The type says what kind of path it is and, for paths that may have references, lists them.
 */
public final class StorePaths
{
  /** Bytes of a store path hash part: 160 bits, 32 nix32 characters. */
  private static final int HASH_PART_BYTES = 20;

  private StorePaths() {
  }

  /**
   * {@code Store::makeStorePath}: the store path of {@code name} for a type and a digest.
   */
  public static StorePath makeStorePath(final String storeDir, final String type, final NixHash hash,
                                        final String name)
  {
    StorePath.validateStoreDir(storeDir);
    String description = type + ":" + hash.type().nixName() + ":" + hash.toBase16() + ":" + storeDir + ":" + name;
    byte[] digest = HashingInputStream.newDigest(NixHashType.SHA256)
        .digest(description.getBytes(StandardCharsets.UTF_8));
    return StorePath.of(NixBase32.encode(xorFold(digest, HASH_PART_BYTES)), name);
  }

  /**
   * {@code Store::makeFixedOutputPath}: paths added by {@code nix-store --add(-fixed)}, fixed-output derivations and
   * {@code nix store make-content-addressed}. A NAR-hashed SHA-256 path ({@code fixed:r:sha256}) is a "source" path
   * and may have references, including one to itself; any other fixed path has none and is named by a second hash
   * over its method and content hash.
   *
   * @param references the references other than the path itself
   * @throws NixFormatException if a path that cannot have references is given some
   */
  public static StorePath makeFixedOutputPath(
      final String storeDir,
      final boolean recursive,
      final NixHash hash,
      final String name,
      final Collection<StorePath> references,
      final boolean selfReference)
  {
    if (recursive && hash.type() == NixHashType.SHA256) {
      return makeStorePath(storeDir, typeWithReferences("source", storeDir, references, selfReference), hash, name);
    }
    if (!references.isEmpty() || selfReference) {
      throw new NixFormatException("a fixed-output path other than fixed:r:sha256 cannot have references");
    }
    String inner = "fixed:out:" + (recursive ? "r:" : "") + hash.type().nixName() + ":" + hash.toBase16() + ":";
    byte[] innerDigest = HashingInputStream.newDigest(NixHashType.SHA256)
        .digest(inner.getBytes(StandardCharsets.UTF_8));
    return makeStorePath(storeDir, "output:out", NixHash.of(NixHashType.SHA256, innerDigest), name);
  }

  /**
   * {@code Store::makeTextPath}: derivations and {@code builtins.toFile} files, hashed flat with SHA-256; their
   * references are part of the type. A text path cannot refer to itself.
   *
   * @throws NixFormatException if the hash is not SHA-256
   */
  public static StorePath makeTextPath(
      final String storeDir,
      final NixHash hash,
      final String name,
      final Collection<StorePath> references)
  {
    if (hash.type() != NixHashType.SHA256) {
      throw new NixFormatException("a text path is hashed with sha256, not " + hash.type().nixName());
    }
    return makeStorePath(storeDir, typeWithReferences("text", storeDir, references, false), hash, name);
  }

  /**
   * {@code <type>:<ref>:<ref>...[:self]} with the references as absolute paths in Nix's (sorted) set order.
   */
  private static String typeWithReferences(
      final String type,
      final String storeDir,
      final Collection<StorePath> references,
      final boolean selfReference)
  {
    List<String> sorted = new ArrayList<>(references.size());
    for (StorePath reference : references) {
      sorted.add(reference.toAbsolute(storeDir));
    }
    Collections.sort(sorted);
    StringBuilder out = new StringBuilder(type);
    for (String reference : sorted) {
      out.append(':').append(reference);
    }
    if (selfReference) {
      out.append(":self");
    }
    return out.toString();
  }

  /**
   * Nix's {@code compressHash}: byte i of the input is XORed into byte i mod size of the output.
   */
  static byte[] xorFold(final byte[] digest, final int size) {
    byte[] out = new byte[size];
    for (int i = 0; i < digest.length; i++) {
      out[i % size] ^= digest[i];
    }
    return out;
  }
}
