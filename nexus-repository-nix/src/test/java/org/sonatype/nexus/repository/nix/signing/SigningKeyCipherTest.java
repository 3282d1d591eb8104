package org.sonatype.nexus.repository.nix.signing;

import org.sonatype.nexus.crypto.internal.CryptoHelperImpl;
import org.sonatype.nexus.crypto.internal.MavenCipherImpl;
import org.sonatype.nexus.crypto.maven.MavenCipher;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.security.PasswordHelper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

class SigningKeyCipherTest
{
  private static final String MATERIAL = TEST_1_SECRET_KEY.substring(TEST_1_SECRET_KEY.indexOf(':') + 1);

  private final MavenCipher mavenCipher = new MavenCipherImpl(new CryptoHelperImpl());

  private final PasswordHelper passwordHelper = TestPasswordHelpers.withLegacyPhrase();

  private final SigningKeyCipher cipher = new SigningKeyCipher(passwordHelper);

  @Test
  void anEncryptedKeyDecryptsToTheSameKey() {
    NixSecretKey key = NixSecretKey.parse(TEST_1_SECRET_KEY);

    assertThat(cipher.decrypt(cipher.encrypt(key))).isEqualTo(key);
  }

  @Test
  void theEncryptedFormShowsNoKeyMaterial() {
    String stored = cipher.encrypt(NixSecretKey.parse(TEST_1_SECRET_KEY));

    assertThat(stored).startsWith(SigningKeyCipher.PREFIX).doesNotContain(MATERIAL);
  }

  @Test
  void theDatastoreDoesNotTakeTheEncryptedFormForItsOwnCipherText() {
    // if it did, it would decrypt it when loading the configuration, putting the key back in plain text
    String stored = cipher.encrypt(NixSecretKey.parse(TEST_1_SECRET_KEY));

    assertThat(mavenCipher.isPasswordCipher(stored)).isFalse();
    assertThat(passwordHelper.decrypt(stored)).isEqualTo(stored);
  }

  @Test
  void aKeyInPlainTextIsRefusedWithoutBeingEchoed() {
    assertThatThrownBy(() -> cipher.decrypt(TEST_1_SECRET_KEY))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not stored encrypted")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(MATERIAL));
  }

  @Test
  void aDamagedEncryptedKeyIsRefused() {
    String stored = cipher.encrypt(NixSecretKey.parse(TEST_1_SECRET_KEY));

    assertThatThrownBy(() -> cipher.decrypt(stored.substring(0, stored.length() - 8) + "AAAAAAA="))
        .isInstanceOf(NixFormatException.class);
  }

  @Test
  void aMissingKeyIsRefused() {
    assertThatThrownBy(() -> cipher.decrypt(null)).isInstanceOf(NixFormatException.class)
        .hasMessageContaining("missing");
  }
}
