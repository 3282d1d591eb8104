package org.sonatype.nexus.repository.nix.signing;

import java.nio.charset.StandardCharsets;

import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfoSignatures;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Signs narinfos as they are served, with one key. Ed25519 in the JDK is pure Java: on this project's machines a
 * signature costs about 0.4 ms of CPU, more than half of what serving a narinfo costs. Signatures are deterministic,
 * so each fingerprint is signed once and its signature remembered: repeated requests for a narinfo cost a SHA-256 of
 * its fingerprint and a lookup. A new key is a new signer, with nothing remembered.
 */
final class RepositorySigner
{
  /**
   * How many signatures are remembered: each takes about 300 bytes of heap (the fingerprint's digest, the signature
   * text), so at most about 15 MB per signing repository, filled only as narinfos are served.
   */
  static final long MAX_REMEMBERED = 50_000;

  private final NixSecretKey key;

  private final long created;

  /** SHA-256 of a fingerprint to its signature: a fixed size per entry, however many references a path has. */
  private final Cache<HashCode, String> signatures;

  /**
   * @param created when the key was set, in epoch milliseconds (0 if not known)
   */
  RepositorySigner(final NixSecretKey key, final long created) {
    this(key, created, MAX_REMEMBERED);
  }

  RepositorySigner(final NixSecretKey key, final long created, final long maxRemembered) {
    this.key = checkNotNull(key);
    this.created = created;
    this.signatures = CacheBuilder.newBuilder().maximumSize(maxRemembered).build();
  }

  NixSecretKey key() {
    return key;
  }

  long created() {
    return created;
  }

  /**
   * The narinfo with this key's signature, replacing any other under the key's name; unchanged if its NarHash is not
   * SHA-256 (Nix cannot fingerprint, so nobody could verify, such a narinfo).
   */
  NarInfo sign(final NarInfo narInfo) {
    if (narInfo.narHash().type() != NixHashType.SHA256) {
      return narInfo;
    }
    String fingerprint = narInfo.fingerprint();
    HashCode digest = Hashing.sha256().hashString(fingerprint, StandardCharsets.UTF_8);
    String signature = signatures.getIfPresent(digest);
    if (signature == null) {
      // two threads may sign the same fingerprint at once: harmless, the signatures are identical
      signature = key.sign(fingerprint);
      signatures.put(digest, signature);
    }
    return NarInfoSignatures.withSignature(narInfo, signature);
  }

  long remembered() {
    return signatures.size();
  }
}
