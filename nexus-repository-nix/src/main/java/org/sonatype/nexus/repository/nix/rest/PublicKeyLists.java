package org.sonatype.nexus.repository.nix.rest;

import java.util.List;

import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.signing.TrustedKeys;
import org.sonatype.nexus.rest.ValidationErrorsException;

/**
 * Lists of public keys in a request ({@code trustedUploadKeys}, {@code trustedUpstreamKeys}), checked before Nexus
 * sees the new configuration: Nexus logs every configuration it is asked to save before its facets validate it, and
 * a secret key pasted where a public key belongs must not reach that log line.
 */
final class PublicKeyLists
{
  private PublicKeyLists() {
  }

  /**
   * @return {@code keys}, once each parses as a public key
   * @throws ValidationErrorsException (a 400) naming the field and position, never showing key material
   */
  static List<String> checked(final List<String> keys, final String field) {
    try {
      TrustedKeys.parse(keys, field);
      return keys;
    }
    catch (NixFormatException e) {
      throw new ValidationErrorsException(field, e.getMessage());
    }
  }
}
