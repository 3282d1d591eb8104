package org.sonatype.nexus.repository.nix.signing;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.validation.ConstraintViolation;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.ConfigurationFacet;
import org.sonatype.nexus.repository.nix.content.NarInfoSigning;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixPublicKey;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfoSignatures;
import org.sonatype.nexus.repository.nix.secrets.NixSecrets;
import org.sonatype.nexus.validation.ConstraintViolationFactory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.joda.time.DateTime;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.common.stateguard.StateGuardLifecycleSupport.State.STARTED;
import static org.sonatype.nexus.validation.ConstraintViolations.maybeAdd;
import static org.sonatype.nexus.validation.ConstraintViolations.maybePropagate;

/**
 * A hosted or group repository's own signing key ({@code nix.signing}): every narinfo the repository serves carries
 * a signature by it, next to the signatures it already had, so clients can keep {@code require-sigs} on and trust
 * just this key.
 *
 * <p>Signatures are made when a narinfo is served, never stored: a new key re-signs everything at once and leaves
 * no signature by the old key behind as the repository's.
 */
@Named
@Facet.Exposed
public class NixSigningFacet
    extends FacetSupport
    implements NarInfoSigning
{
  /** The {@code nix.signing} map; absent when the repository has no key. */
  public static final String SIGNING = "signing";

  public static final String KEY_NAME = "keyName";

  /** {@code name:base64}, derived from the secret key when it was set; public. */
  public static final String PUBLIC_KEY = "publicKey";

  /**
   * The id under which {@link NixSecrets} keeps the secret key: the configuration, which Nexus's UI reads as it is,
   * holds no form of the key.
   */
  public static final String KEY_ID = "keyId";

  /**
   * Where versions before {@link #KEY_ID} kept the secret key, encrypted by {@link SigningKeyCipher} with Nexus's
   * public default phrase, in the configuration the UI reads: moved into {@link NixSecrets} on the next save and at
   * startup ({@link SigningKeySecrets}). Also the name of the form field that imports a key: Nexus redacts attributes
   * named {@code secret} wherever it writes a configuration out (the log line of every save, support zips).
   */
  public static final String SECRET = "secret";

  /** When the key was set, in epoch milliseconds: served narinfos are no older than their signature. */
  public static final String CREATED = "created";

  /** What the REST API calls the secret; configuration errors about it name this field. */
  public static final String SECRET_KEY_FIELD = "nix.signing.secretKey";

  @JsonIgnoreProperties(ignoreUnknown = true)
  static class Config
  {
    @Nullable
    public Signing signing;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static class Signing
  {
    public String keyName;

    public String publicKey;

    public String keyId;

    public String secret;

    public Long created;
  }

  private final NixSecrets secrets;

  private final SigningKeyCipher legacyCipher;

  private final ConstraintViolationFactory violations;

  @Nullable
  private volatile RepositorySigner signer;

  @Inject
  public NixSigningFacet(
      final NixSecrets secrets,
      final SigningKeyCipher legacyCipher,
      final ConstraintViolationFactory violations)
  {
    this.secrets = checkNotNull(secrets);
    this.legacyCipher = checkNotNull(legacyCipher);
    this.violations = checkNotNull(violations);
  }

  /** The purpose {@link NixSecrets} keeps a repository's secret key under. */
  public static String secretPurpose(final String repositoryName) {
    return SigningKeySecrets.PURPOSE_PREFIX + repositoryName + "/nix.signing";
  }

  /**
   * Checks a key set on a running repository. The REST API checks every key it is given; a repository being
   * created or restored at startup is not checked here, so a key that cannot be used (e.g. in a configuration
   * restored from a support zip, where the secret is redacted) never stops Nexus from starting: see
   * {@link #doConfigure}. Nexus's GroupFacetImpl makes the same distinction.
   */
  @Override
  protected void doValidate(final Configuration configuration) throws Exception {
    Signing signing = read(configuration);
    if (signing == null || !getStateGuard().is(STARTED)) {
      return;
    }
    Set<ConstraintViolation<?>> found = new HashSet<>();
    try {
      key(signing);
    }
    catch (NixFormatException e) {
      maybeAdd(found, violations.createViolation(SECRET_KEY_FIELD, e.getMessage()));
    }
    maybePropagate(found, log);
  }

  /**
   * A key that cannot be used does not stop the repository: it serves its narinfos without the repository's
   * signature, which clients that require this key refuse, and says why in the log.
   */
  @Override
  protected void doConfigure(final Configuration configuration) throws Exception {
    Signing signing = read(configuration);
    signer = null;
    if (signing == null) {
      return;
    }
    try {
      signer = new RepositorySigner(key(signing), signing.created != null ? signing.created : 0L);
    }
    catch (NixFormatException e) {
      log.warn("Repository {}: its signing key cannot be used ({}); its narinfos are served without its signature",
          getRepository().getName(), e.getMessage());
    }
  }

  @Override
  protected void doDestroy() throws Exception {
    signer = null;
  }

  /** The repository is being deleted: its key goes too (its configuration, which refers to it, is going). */
  @Override
  protected void doDelete() throws Exception {
    SigningKeySecrets.keyId(getRepository().getConfiguration()).ifPresent(secrets::remove);
  }

  @Nullable
  private Signing read(final Configuration configuration) {
    return facet(ConfigurationFacet.class).readSection(configuration, NixSettingsFacet.SECTION, Config.class).signing;
  }

  private NixSecretKey key(final Signing signing) {
    NixSecretKey key;
    if (signing.keyId != null) {
      key = NixSecretKey.parse(secrets.read(signing.keyId).orElseThrow(() -> new NixFormatException(
          "the secret key " + signing.keyId + " is not in Nexus's database (was the database restored without it?)")));
    }
    else {
      key = legacyCipher.decrypt(signing.secret);
    }
    if (signing.keyName != null && !signing.keyName.equals(key.name())) {
      throw new NixFormatException("the key is named '" + key.name() + "', not '" + signing.keyName + "'");
    }
    if (signing.publicKey != null && !signing.publicKey.equals(key.publicKey().toText())) {
      throw new NixFormatException("the secret key does not belong to the public key " + signing.publicKey);
    }
    return key;
  }

  /** The repository's public key, {@code name:base64}, for clients' {@code trusted-public-keys}. */
  public Optional<NixPublicKey> publicKey() {
    RepositorySigner current = signer;
    return current == null ? Optional.empty() : Optional.of(current.key().publicKey());
  }

  /**
   * The narinfo as the repository serves it: with the repository's signature added (replacing one under the same key
   * name), every other signature kept. Unchanged if the repository has no key.
   */
  @Override
  public NarInfo sign(final NarInfo narInfo) {
    RepositorySigner current = signer;
    return current == null ? narInfo : current.sign(narInfo);
  }

  /**
   * An uploaded narinfo without signatures under the repository's key name. {@code nix store sign --store <repo>}
   * PUTs back the narinfo it read, signature by the repository included; stored, that signature would outlive a key
   * rotation and go on being served as the repository's.
   */
  public NarInfo withoutOwnSignatures(final NarInfo narInfo) {
    RepositorySigner current = signer;
    return current == null ? narInfo : NarInfoSignatures.withoutSignaturesBy(narInfo, current.key().name());
  }

  /**
   * Last-Modified of a served narinfo: a new key changes what is served, so a signed narinfo is no older than the key.
   */
  @Override
  public DateTime lastModified(final DateTime stored) {
    RepositorySigner current = signer;
    long created = current == null ? 0L : current.created();
    return created > stored.getMillis() ? new DateTime(created) : stored;
  }
}
