package org.sonatype.nexus.repository.nix.protocol.narinfo;

import java.util.ArrayList;
import java.util.List;
import org.sonatype.nexus.repository.nix.protocol.NixBase32;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.protocol.StorePaths;

import static java.util.Objects.requireNonNull;

/**
 * A narinfo {@code CA} field: how a content-addressed store path was made from its contents, which lets anyone
 * recompute the path instead of trusting a signature. Nix 2.8 writes {@code text:sha256:<hash>} (derivations,
 * {@code builtins.toFile}), {@code fixed:r:<algo>:<hash>} (a NAR hash: {@code nix-store --add}, recursive
 * fixed-output derivations) and {@code fixed:<algo>:<hash>} (a flat file hash: {@code fetchurl}).
 */
public final class ContentAddress
{
  public enum Method
  {
    /** {@code text:}: a flat SHA-256 of a file whose references are part of its type. */
    TEXT("text:"),
    /** {@code fixed:}: a hash of a single regular file. */
    FLAT("fixed:"),
    /** {@code fixed:r:}: a hash of the path's NAR serialisation. */
    RECURSIVE("fixed:r:");

    private final String prefix;

    Method(final String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }
  }

  private final Method method;

  private final NixHash hash;

  private ContentAddress(final Method method, final NixHash hash) {
    this.method = method;
    this.hash = hash;
  }

  /**
   * Parses a {@code CA} value. The hash may be in any encoding Nix accepts after its type prefix.
   *
   * @throws NixFormatException for anything Nix 2.8 cannot recompute a path from, including the newer
   *                            {@code fixed:git:} addresses and text addresses not hashed with SHA-256
   */
  public static ContentAddress parse(final String text) {
    requireNonNull(text, "text");
    Method method;
    if (text.startsWith(Method.TEXT.prefix)) {
      method = Method.TEXT;
    }
    else if (text.startsWith(Method.RECURSIVE.prefix)) {
      method = Method.RECURSIVE;
    }
    else if (text.startsWith("fixed:git:")) {
      throw new NixFormatException("content address '" + NixBase32.abbreviate(text)
          + "': git hashing is not supported");
    }
    else if (text.startsWith(Method.FLAT.prefix)) {
      method = Method.FLAT;
    }
    else {
      throw new NixFormatException("content address '" + NixBase32.abbreviate(text)
          + "' does not start with 'text:' or 'fixed:'");
    }
    NixHash hash = NixHash.parse(text.substring(method.prefix.length()));
    if (method == Method.TEXT && hash.type() != NixHashType.SHA256) {
      throw new NixFormatException("content address '" + NixBase32.abbreviate(text)
          + "': text addresses are sha256, not " + hash.type().nixName());
    }
    return new ContentAddress(method, hash);
  }

  public Method method() {
    return method;
  }

  public NixHash hash() {
    return hash;
  }

  /**
   * The store path these contents and references must have.
   *
   * @param references    the references other than the path itself
   * @param selfReference whether the path refers to itself
   * @throws NixFormatException for references this kind of address cannot have
   */
  public StorePath storePath(
      final String storeDir,
      final String name,
      final List<StorePath> references,
      final boolean selfReference)
  {
    if (method == Method.TEXT) {
      if (selfReference) {
        throw new NixFormatException("a text path cannot refer to itself");
      }
      return StorePaths.makeTextPath(storeDir, hash, name, references);
    }
    return StorePaths.makeFixedOutputPath(storeDir, method == Method.RECURSIVE, hash, name, references,
        selfReference);
  }

  /**
   * True if the narinfo's {@code CA} field produces exactly its {@code StorePath} from its name and references: the
   * check that lets Nix take a content-addressed path without a trusted signature
   * ({@code ValidPathInfo::isContentAddressed}).
   *
   * <p>One check more than Nix makes before downloading: the address of a NAR-hashed SHA-256 path without a self
   * reference is its NAR hash, so {@code NarHash} must be the same hash (a self-referencing path is hashed with the
   * self reference blanked out, so its address differs). Nix finds out only after the download, so a narinfo failing
   * this could only ever deliver a NAR that Nix rejects.
   */
  public static boolean provesStorePath(final NarInfo narInfo) {
    if (!narInfo.ca().isPresent()) {
      return false;
    }
    try {
      ContentAddress ca = parse(narInfo.ca().get());
      StorePath self = narInfo.storePath();
      List<StorePath> others = new ArrayList<>();
      boolean selfReference = false;
      for (StorePath reference : narInfo.referencePaths()) {
        // Nix takes the self reference out for fixed paths only; a text path listing itself simply does not match
        if (reference.equals(self) && ca.method != Method.TEXT) {
          selfReference = true;
        }
        else {
          others.add(reference);
        }
      }
      boolean narHashed = ca.method == Method.RECURSIVE && ca.hash.type() == NixHashType.SHA256 && !selfReference;
      if (narHashed && !ca.hash.equals(narInfo.narHash())) {
        return false;
      }
      return ca.storePath(narInfo.storeDir(), self.name(), others, selfReference).equals(self);
    }
    catch (NixFormatException e) {
      return false;
    }
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ContentAddress)) {
      return false;
    }
    ContentAddress other = (ContentAddress) o;
    return method == other.method && hash.equals(other.hash);
  }

  @Override
  public int hashCode() {
    return 31 * method.hashCode() + hash.hashCode();
  }

  /**
   * The form Nix writes: {@code <method prefix><type>:<nix32>}.
   */
  @Override
  public String toString() {
    return method.prefix + hash;
  }
}
