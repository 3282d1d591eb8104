package org.sonatype.nexus.repository.nix.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.nix.secrets.NixSecrets;
import org.sonatype.nexus.repository.nix.signing.SigningKeyCipher;
import org.sonatype.nexus.repository.nix.signing.SigningKeySecrets;
import org.sonatype.nexus.rest.ValidationErrorsException;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Turns the {@code signing} block of a create or update request ({@link NixSigningAttributes}) into the
 * configuration's {@code nix.signing} map: a generated or imported key, the current key kept, or none.
 *
 * <p>The key itself goes to {@link NixSecrets}; the configuration keeps its id, its name and its public key, and
 * nothing that reads configurations (the UI, REST, support zips, logs) sees more.
 *
 * <p>Nexus builds an updated configuration from the request alone, and the secret key never comes back out through
 * the API, so a request cannot repeat it: an update without a {@code signing} block (or with only the current
 * {@code keyName}) carries the current key over from the repository.
 */
@Named
@Singleton
public class NixSigningRequests
    extends ComponentSupport
{
  static final String KEY_NAME_FIELD = "nix.signing.keyName";

  static final String SIGNING_FIELD = "nix.signing";

  private final RepositoryManager repositoryManager;

  private final NixSecrets secrets;

  private final SigningKeyCipher legacyCipher;

  @Inject
  public NixSigningRequests(
      final RepositoryManager repositoryManager,
      final NixSecrets secrets,
      final SigningKeyCipher legacyCipher)
  {
    this.repositoryManager = checkNotNull(repositoryManager);
    this.secrets = checkNotNull(secrets);
    this.legacyCipher = checkNotNull(legacyCipher);
  }

  /**
   * @param nix the new configuration's {@code nix} section
   * @throws ValidationErrorsException (a 400) naming the field that is wrong; never containing key material
   */
  public void applyTo(
      @Nullable final NixSigningAttributes request,
      final String repositoryName,
      final NestedAttributesMap nix)
  {
    Map<String, Object> current = currentSigning(repositoryName);
    if (request == null) {
      keep(current, nix);
    }
    else if (request.removes()) {
      if (request.generates() || request.getSecretKey() != null) {
        throw invalid(SIGNING_FIELD, "give one of remove, generate and secretKey");
      }
      nix.remove(NixSigningFacet.SIGNING);
    }
    else if (request.getSecretKey() != null) {
      if (request.generates()) {
        throw invalid(SIGNING_FIELD, "give either generate or secretKey, not both");
      }
      store(imported(request), repositoryName, nix);
    }
    else if (request.generates()) {
      store(generated(request, repositoryName), repositoryName, nix);
    }
    else {
      keepNamed(request, current, nix);
    }
  }

  private NixSecretKey imported(final NixSigningAttributes request) {
    NixSecretKey key;
    try {
      key = NixSecretKey.parse(request.getSecretKey());
    }
    catch (NixFormatException e) {
      // the message names the key but never shows its material
      throw invalid(NixSigningFacet.SECRET_KEY_FIELD, e.getMessage());
    }
    if (request.getKeyName() != null && !request.getKeyName().equals(key.name())) {
      throw invalid(KEY_NAME_FIELD, "the imported key is named '" + key.name() + "', not '" + request.getKeyName()
          + "' (a key's name is part of its signatures; leave keyName out or give the key's own name)");
    }
    return key;
  }

  private static NixSecretKey generated(final NixSigningAttributes request, final String repositoryName) {
    String name = request.getKeyName() != null ? request.getKeyName() : repositoryName + "-1";
    try {
      return NixSecretKey.generate(name);
    }
    catch (NixFormatException e) {
      throw invalid(KEY_NAME_FIELD, e.getMessage());
    }
  }

  /**
   * A block naming the key but neither generating nor importing one, as a GET returns it: the current key stays.
   */
  private static void keepNamed(
      final NixSigningAttributes request,
      @Nullable final Map<String, Object> current,
      final NestedAttributesMap nix)
  {
    if (current == null) {
      throw invalid(SIGNING_FIELD, "the repository has no signing key: give \"generate\": true or a \"secretKey\"");
    }
    Object currentName = current.get(NixSigningFacet.KEY_NAME);
    if (request.getKeyName() != null && !request.getKeyName().equals(currentName)) {
      throw invalid(KEY_NAME_FIELD, "the current key is named '" + currentName + "'; to use another name, generate "
          + "a new key (\"generate\": true) or import one");
    }
    keep(current, nix);
  }

  private static void keep(@Nullable final Map<String, Object> current, final NestedAttributesMap nix) {
    if (current == null) {
      nix.remove(NixSigningFacet.SIGNING);
    }
    else {
      nix.set(NixSigningFacet.SIGNING, new LinkedHashMap<>(current));
    }
  }

  /** The key goes to {@link NixSecrets}; the configuration keeps its id, name and public key. */
  private void store(final NixSecretKey key, final String repositoryName, final NestedAttributesMap nix) {
    Map<String, Object> signing = new LinkedHashMap<>();
    signing.put(NixSigningFacet.KEY_NAME, key.name());
    signing.put(NixSigningFacet.PUBLIC_KEY, key.publicKey().toText());
    signing.put(NixSigningFacet.KEY_ID, secrets.store(NixSigningFacet.secretPurpose(repositoryName), key.toText()));
    signing.put(NixSigningFacet.CREATED, System.currentTimeMillis());
    nix.set(NixSigningFacet.SIGNING, signing);
  }

  /**
   * Moves a legacy key out of a {@code nix.signing} map into {@link NixSecrets}: the map keeps its id instead, and no
   * form of the key. A key that no longer decrypts is dropped with its map's {@code secret} (the repository then
   * serves unsigned, as it already did).
   *
   * @return whether the map changed
   */
  public boolean migrateLegacy(final Map<String, Object> signing, final String repositoryName) {
    if (!SigningKeySecrets.isLegacy(signing)) {
      return false;
    }
    try {
      NixSecretKey key = legacyCipher.decrypt((String) signing.get(NixSigningFacet.SECRET));
      signing.put(NixSigningFacet.KEY_ID, secrets.store(NixSigningFacet.secretPurpose(repositoryName), key.toText()));
      log.info("Repository {}: its signing key moved out of its configuration into Nexus's database",
          repositoryName);
    }
    catch (NixFormatException e) {
      log.warn("Repository {}: its stored signing key cannot be used ({}); removed from its configuration",
          repositoryName, e.getMessage());
    }
    signing.remove(NixSigningFacet.SECRET);
    return true;
  }

  /** The repository's current {@code nix.signing} map, read without adding anything to its configuration. */
  @Nullable
  @SuppressWarnings("unchecked")
  private Map<String, Object> currentSigning(final String repositoryName) {
    Repository repository = repositoryManager.get(repositoryName);
    if (repository == null) {
      return null;
    }
    Map<String, Object> nix = repository.getConfiguration().getAttributes().get(NixSettingsFacet.SECTION);
    Object signing = nix == null ? null : nix.get(NixSigningFacet.SIGNING);
    return signing instanceof Map ? (Map<String, Object>) signing : null;
  }

  /** The message names the field too: Nexus's repository resources answer 400 with the message alone. */
  private static ValidationErrorsException invalid(final String field, final String message) {
    return new ValidationErrorsException(field, field + ": " + message);
  }
}
