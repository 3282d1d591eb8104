package org.sonatype.nexus.repository.nix.signing;

import org.sonatype.nexus.repository.nix.protocol.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.NarInfoSignatures;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Signs narinfos as they are served, with one key. Ed25519 in the JDK is pure Java (a signature costs about as much
 * as serving a narinfo), and signatures are deterministic, so each fingerprint is signed once and its signature
 * remembered: repeated requests for a narinfo cost a lookup. A new key is a new signer, with nothing remembered.
 */
final class RepositorySigner
{
  /**
   * Bound on what is remembered, in characters of fingerprints and signatures: roughly the narinfos of 20,000 store
   * paths with a few references each, a few MB of heap.
   */
  static final long MAX_REMEMBERED_CHARS = 8L << 20;

  private final NixSecretKey key;

  private final long created;

  private final Cache<String, String> signatures;

  /**
   * @param created when the key was set, in epoch milliseconds (0 if not known)
   */
  RepositorySigner(final NixSecretKey key, final long created) {
    this(key, created, MAX_REMEMBERED_CHARS);
  }

  RepositorySigner(final NixSecretKey key, final long created, final long maxRememberedChars) {
    this.key = checkNotNull(key);
    this.created = created;
    this.signatures = CacheBuilder.newBuilder()
        .maximumWeight(maxRememberedChars)
        .<String, String>weigher((fingerprint, signature) -> fingerprint.length() + signature.length())
        .build();
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
    String signature = signatures.getIfPresent(fingerprint);
    if (signature == null) {
      // two threads may sign the same fingerprint at once: harmless, the signatures are identical
      signature = key.sign(fingerprint);
      signatures.put(fingerprint, signature);
    }
    return NarInfoSignatures.withSignature(narInfo, signature);
  }

  long remembered() {
    return signatures.size();
  }
}
