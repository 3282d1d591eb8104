package org.sonatype.nexus.repository.nix.protocol.narinfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.NixPublicKey;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;

/**
 * Checking and adding narinfo signatures the way the Nix client does: a signature counts only for a trusted key
 * with the same name, over {@link NarInfo#fingerprint()}.
 */
public final class NarInfoSignatures
{
  private NarInfoSignatures() {
  }

  /**
   * True if at least one {@code Sig} verifies against one of {@code trustedKeys}. A narinfo whose NarHash is not
   * sha256 cannot be fingerprinted, so it has no valid signature.
   */
  public static boolean hasValidSignature(final NarInfo narInfo, final Collection<NixPublicKey> trustedKeys) {
    if (narInfo.narHash().type() != NixHashType.SHA256) {
      return false;
    }
    String fingerprint = narInfo.fingerprint();
    // the first valid one settles it: the others are not verified
    for (String sig : narInfo.sigs()) {
      if (verifies(fingerprint, sig, trustedKeys)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code Sig} values that verify against one of {@code trustedKeys}, in narinfo order.
   */
  public static List<String> validSignatures(final NarInfo narInfo, final Collection<NixPublicKey> trustedKeys) {
    List<String> valid = new ArrayList<>();
    if (narInfo.narHash().type() != NixHashType.SHA256) {
      return valid;
    }
    String fingerprint = narInfo.fingerprint();
    for (String sig : narInfo.sigs()) {
      if (verifies(fingerprint, sig, trustedKeys)) {
        valid.add(sig);
      }
    }
    return valid;
  }

  private static boolean verifies(final String fingerprint, final String sig, final Collection<NixPublicKey> keys) {
    for (NixPublicKey key : keys) {
      if (key.verify(fingerprint, sig)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Signs with {@code key}, replacing any earlier signature carrying the same key name (re-signing after a key
   * rotation that kept the name must not leave a stale, unverifiable signature behind) and keeping all others.
   *
   * @throws IllegalStateException if the NarHash is not sha256
   */
  public static NarInfo signed(final NarInfo narInfo, final NixSecretKey key) {
    return withSignature(narInfo, key.sign(narInfo.fingerprint()));
  }

  /**
   * Adds a signature made elsewhere (e.g. remembered from an earlier {@link NixSecretKey#sign}), replacing any
   * signature carrying the same key name and keeping all others, in order. Returns the narinfo itself if it already
   * carries exactly this signature and no other under that name.
   */
  public static NarInfo withSignature(final NarInfo narInfo, final String signature) {
    String prefix = keyNamePrefix(signature);
    List<String> sigs = new ArrayList<>();
    for (String sig : narInfo.sigs()) {
      if (!sig.startsWith(prefix)) {
        sigs.add(sig);
      }
    }
    sigs.add(signature);
    return sigs.equals(narInfo.sigs()) ? narInfo : narInfo.withSigs(sigs);
  }

  /**
   * Removes every signature carrying {@code keyName}, keeping the others in order.
   */
  public static NarInfo withoutSignaturesBy(final NarInfo narInfo, final String keyName) {
    String prefix = keyName + ":";
    List<String> sigs = new ArrayList<>();
    for (String sig : narInfo.sigs()) {
      if (!sig.startsWith(prefix)) {
        sigs.add(sig);
      }
    }
    return sigs.size() == narInfo.sigs().size() ? narInfo : narInfo.withSigs(sigs);
  }

  private static String keyNamePrefix(final String signature) {
    int colon = signature.indexOf(':');
    if (colon <= 0) {
      throw new NixFormatException("signature is not '<key name>:<base64>'");
    }
    return signature.substring(0, colon + 1);
  }
}
