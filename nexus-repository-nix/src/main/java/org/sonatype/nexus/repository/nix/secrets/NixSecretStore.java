package org.sonatype.nexus.repository.nix.secrets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.datastore.ConfigStoreSupport;
import org.sonatype.nexus.datastore.api.DataSessionSupplier;
import org.sonatype.nexus.security.PasswordHelper;
import org.sonatype.nexus.transaction.Transactional;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * {@link NixSecrets} in Nexus's configuration database, protected by both ciphers Nexus 3.71 lets an administrator
 * key: the value is encrypted with Nexus's password cipher ({@link PasswordHelper}, whose phrase comes from the file
 * {@code nexus.security.masterPhraseFile} names) and the column with the database's cipher
 * ({@code nexus.mybatis.cipher.password}, {@code .salt}, {@code .iv}; what Nexus protects its SMTP password and API
 * keys with). Nexus 3.71 has no secrets service of its own (it arrived in 3.72); with neither setting made, both keys
 * are Nexus's public defaults, so reading the database is enough to read the secret, as it is for Nexus's own.
 */
@Named
@Singleton
public class NixSecretStore
    extends ConfigStoreSupport<NixSecretDAO>
    implements NixSecrets
{
  private final PasswordHelper passwordHelper;

  @Inject
  public NixSecretStore(final DataSessionSupplier sessionSupplier, final PasswordHelper passwordHelper) {
    super(sessionSupplier);
    this.passwordHelper = checkNotNull(passwordHelper);
  }

  @Transactional
  @Override
  public String store(final String purpose, final String secret) {
    NixSecretData data = new NixSecretData();
    data.setId(UUID.randomUUID().toString());
    data.setPurpose(checkNotNull(purpose));
    data.setSecret(seal(checkNotNull(secret)));
    data.setCreated(System.currentTimeMillis());
    dao().create(data);
    return data.getId();
  }

  @Transactional
  @Override
  public Optional<String> read(final String id) {
    NixSecretData row = dao().read(id);
    return row == null ? Optional.empty() : Optional.of(unseal(row.getSecret()));
  }

  @Transactional
  @Override
  public void remove(final String id) {
    dao().delete(id);
  }

  @Transactional
  @Override
  public int removeUnreferenced(final String purposePrefix, final Set<String> keep, final Duration minimumAge) {
    long before = System.currentTimeMillis() - minimumAge.toMillis();
    int removed = 0;
    for (NixSecretData row : dao().browseByPurposePrefix(purposePrefix)) {
      if (!keep.contains(row.getId()) && row.getCreated() < before) {
        removed += dao().delete(row.getId());
        log.info("Removed the unreferenced secret {} ({})", row.getId(), row.getPurpose());
      }
    }
    return removed;
  }

  /**
   * Base64 first: {@link PasswordHelper} leaves alone any text that looks like its own cipher text ({@code {...}}),
   * which a password may.
   */
  private String seal(final String secret) {
    return passwordHelper.encrypt(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
  }

  private String unseal(final String sealed) {
    return new String(Base64.getDecoder().decode(passwordHelper.decrypt(sealed)), StandardCharsets.UTF_8);
  }
}
