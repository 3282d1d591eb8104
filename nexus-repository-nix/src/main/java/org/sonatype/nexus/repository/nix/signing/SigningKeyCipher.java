package org.sonatype.nexus.repository.nix.signing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.security.PasswordHelper;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * How a repository's secret key is kept in its configuration: encrypted with Nexus's {@link PasswordHelper}, so the
 * configuration Nexus holds in memory, and hands to its UI ({@code coreui_Repository.read} returns configuration
 * attributes as they are), never contains the key itself.
 *
 * <p>The attribute is also named {@code secret}, so the datastore encrypts it once more at rest. That encryption is
 * undone when the configuration is loaded, for any text that looks like a {@link PasswordHelper} cipher
 * ({@code {...}} anywhere in it); the cipher text is therefore stored base64-encoded behind a prefix, which the
 * datastore leaves alone.
 */
@Named
@Singleton
public class SigningKeyCipher
{
  static final String PREFIX = "nix-encrypted:";

  private final PasswordHelper passwordHelper;

  @Inject
  public SigningKeyCipher(final PasswordHelper passwordHelper) {
    this.passwordHelper = checkNotNull(passwordHelper);
  }

  /** Whether a stored value is a key this class encrypted (not whether it still decrypts). */
  public static boolean isEncrypted(@Nullable final Object stored) {
    return stored instanceof String && ((String) stored).startsWith(PREFIX);
  }

  public String encrypt(final NixSecretKey key) {
    String cipher = passwordHelper.encrypt(key.toText());
    return PREFIX + Base64.getEncoder().encodeToString(cipher.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws NixFormatException if the text is not a key this class encrypted, or no longer decrypts; the message
   *                            never contains key material
   */
  public NixSecretKey decrypt(final String stored) {
    if (stored == null || stored.isEmpty()) {
      throw new NixFormatException("the secret key is missing");
    }
    if (!stored.startsWith(PREFIX)) {
      throw new NixFormatException("the secret key is not stored encrypted; import it through the REST API "
          + "(nix.signing.secretKey), which encrypts it");
    }
    String cipher;
    try {
      cipher = new String(Base64.getDecoder().decode(stored.substring(PREFIX.length())), StandardCharsets.UTF_8);
    }
    catch (IllegalArgumentException e) {
      throw new NixFormatException("the stored secret key is damaged");
    }
    String text;
    try {
      text = passwordHelper.decrypt(cipher);
    }
    catch (RuntimeException e) {
      throw new NixFormatException("the stored secret key cannot be decrypted (was Nexus's encryption key changed?)");
    }
    return NixSecretKey.parse(text);
  }
}
