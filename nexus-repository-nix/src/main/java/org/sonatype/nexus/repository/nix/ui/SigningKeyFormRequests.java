package org.sonatype.nexus.repository.nix.ui;

import java.util.Map;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import javax.validation.ConstraintViolation;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.manager.ConfigurationValidator;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.rest.NixSigningAttributes;
import org.sonatype.nexus.repository.nix.rest.NixSigningRequests;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.nix.signing.SigningKeySecrets;
import org.sonatype.nexus.repository.nix.secrets.NixSecrets;
import org.sonatype.nexus.rest.ValidationErrorXO;
import org.sonatype.nexus.rest.ValidationErrorsException;
import org.sonatype.nexus.validation.ConstraintViolationFactory;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Carries out what the repository form asks of a repository's signing key: generate one, import one, remove it, or
 * keep the current one. The form saves through Nexus's UI service, which stores the {@code attributes} it is sent
 * as they are; this turns its {@code nix.signing} block into the stored key exactly as {@link NixSigningRequests}
 * does for the REST API, so the UI and REST agree on every outcome and error.
 *
 * <p>What the form sends ({@code NX.nix.view.repository.facet.NixSigningFacet}) is the REST API's signing block,
 * except that a key to import is called {@code secret} (REST: {@code secretKey}): Nexus logs every configuration
 * it is asked to save before anything of the format's sees it, redacting attributes named {@code secret}.
 *
 * <p>A {@link ConfigurationValidator} because that is Nexus's only hook between a save (UI or REST) and the
 * configuration store: Nexus calls it with the configuration it then validates with the repository's facets and
 * stores, on create and update, never when it restores repositories at startup. A configuration that already holds
 * a stored key (as the REST API's converters write it) or no key is left alone; one that still holds a key the way
 * versions before {@link NixSigningFacet#KEY_ID} stored it has the key moved into {@link NixSecrets}.
 */
@Named
@Singleton
public class SigningKeyFormRequests
    extends ComponentSupport
    implements ConfigurationValidator
{
  /** The form's name for a key to import. */
  static final String SECRET = NixSigningFacet.SECRET;

  static final String GENERATE = "generate";

  static final String REMOVE = "remove";

  private final NixSigningRequests signingRequests;

  private final ConstraintViolationFactory violations;

  @Inject
  public SigningKeyFormRequests(
      final NixSigningRequests signingRequests,
      final ConstraintViolationFactory violations)
  {
    this.signingRequests = checkNotNull(signingRequests);
    this.violations = checkNotNull(violations);
  }

  @Nullable
  @Override
  public ConstraintViolation<?> validate(final Configuration configuration) {
    if (!isSigningRecipe(configuration.getRecipeName())) {
      return null;
    }
    Map<String, Object> section = configuration.getAttributes() == null
        ? null
        : configuration.getAttributes().get(NixSettingsFacet.SECTION);
    Object signing = section == null ? null : section.get(NixSigningFacet.SIGNING);
    if (!(signing instanceof Map)) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> block = (Map<String, Object>) signing;
    if (SigningKeySecrets.isLegacy(block)) {
      if (!asksForChange(block)) {
        signingRequests.migrateLegacy(block, configuration.getRepositoryName());
        return null;
      }
      // a new key or none replaces it: the old one is not an import
      block.remove(SECRET);
    }
    if (isStored(block)) {
      return null;
    }
    try {
      NestedAttributesMap nix = configuration.attributes(NixSettingsFacet.SECTION);
      signingRequests.applyTo(request(block), configuration.getRepositoryName(), nix);
      // the current key carried over may still be stored as versions before NixSecrets stored it
      Object kept = nix.get(NixSigningFacet.SIGNING);
      if (kept instanceof Map && SigningKeySecrets.isLegacy((Map<?, ?>) kept)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> legacy = (Map<String, Object>) kept;
        signingRequests.migrateLegacy(legacy, configuration.getRepositoryName());
      }
      return null;
    }
    catch (ValidationErrorsException e) {
      ValidationErrorXO error = e.getValidationErrors().get(0);
      return violations.createViolation(formField(error.getId()), withoutFieldName(error));
    }
  }

  private static boolean isSigningRecipe(@Nullable final String recipeName) {
    return "nix-hosted".equals(recipeName) || "nix-group".equals(recipeName);
  }

  /** A key as stored (its id in NixSecrets), with no change asked for. */
  private static boolean isStored(final Map<?, ?> signing) {
    return signing.get(NixSigningFacet.KEY_ID) != null && text(signing.get(SECRET)) == null
        && !asksForChange(signing);
  }

  private static boolean asksForChange(final Map<?, ?> signing) {
    return isTrue(signing.get(GENERATE)) || isTrue(signing.get(REMOVE));
  }

  /**
   * The form's block as a REST request; null if it asks for nothing (no key name either), which keeps the current
   * key, or none.
   */
  @Nullable
  static NixSigningAttributes request(final Map<?, ?> signing) {
    String keyName = text(signing.get(NixSigningFacet.KEY_NAME));
    String secret = text(signing.get(SECRET));
    boolean generate = isTrue(signing.get(GENERATE));
    boolean remove = isTrue(signing.get(REMOVE));
    if (keyName == null && secret == null && !generate && !remove) {
      return null;
    }
    return new NixSigningAttributes(keyName, generate ? Boolean.TRUE : null, secret, remove ? Boolean.TRUE : null,
        null);
  }

  @Nullable
  private static String text(@Nullable final Object value) {
    String text = value == null ? "" : value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  /** Form fields send booleans; anything else that says "true" is read as such. */
  private static boolean isTrue(@Nullable final Object value) {
    return value != null && Boolean.parseBoolean(value.toString());
  }

  /** The name of the form field a REST field name ({@code nix.signing.secretKey}, ...) stands for. */
  static String formField(final String restField) {
    String field = NixSigningFacet.SECRET_KEY_FIELD.equals(restField) ? "nix.signing." + SECRET : restField;
    return "attributes." + field;
  }

  /** The form shows the message at its field: without the REST field name the message starts with. */
  private static String withoutFieldName(final ValidationErrorXO error) {
    String prefix = error.getId() + ": ";
    String message = error.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
