package org.sonatype.nexus.repository.nix.signing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixPublicKey;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfoSignatures;

/**
 * A configured list of public keys, such as a hosted repository's {@code nix.trustedUploadKeys} or a proxy's
 * {@code nix.trustedUpstreamKeys}: a signature counts if it verifies against one of them, as in Nix's
 * {@code trusted-public-keys}.
 */
public final class TrustedKeys
{
  public static final TrustedKeys NONE = new TrustedKeys(Collections.emptyList());

  private final List<NixPublicKey> keys;

  private TrustedKeys(final List<NixPublicKey> keys) {
    this.keys = Collections.unmodifiableList(keys);
  }

  /**
   * Parses {@code name:base64} texts, as {@code nix key convert-secret-to-public} prints them.
   *
   * @param field the configuration field, for error messages (e.g. {@code nix.trustedUploadKeys})
   * @throws NixFormatException naming the field and the position of the first bad key
   */
  public static TrustedKeys parse(@Nullable final List<String> texts, final String field) {
    if (texts == null || texts.isEmpty()) {
      return NONE;
    }
    List<NixPublicKey> keys = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      try {
        keys.add(NixPublicKey.parse(texts.get(i)));
      }
      catch (NixFormatException e) {
        throw new NixFormatException(field + "[" + i + "]: " + e.getMessage(), e);
      }
    }
    return new TrustedKeys(keys);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public List<NixPublicKey> keys() {
    return keys;
  }

  /** True if one of the narinfo's signatures verifies against one of these keys. */
  public boolean signed(final NarInfo narInfo) {
    return NarInfoSignatures.hasValidSignature(narInfo, keys);
  }

  /** The key names, for messages: {@code cache.nixos.org-1, ci-1}. */
  public String names() {
    return keys.stream().map(NixPublicKey::name).collect(Collectors.joining(", "));
  }

  /** True if one of the keys carries this name. */
  public boolean hasKeyNamed(final String name) {
    return keys.stream().anyMatch(key -> key.name().equals(name));
  }

  @Override
  public String toString() {
    return keys.toString();
  }
}
