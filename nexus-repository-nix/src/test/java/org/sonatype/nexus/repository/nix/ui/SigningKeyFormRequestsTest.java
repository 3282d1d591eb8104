package org.sonatype.nexus.repository.nix.ui;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.validation.ConstraintValidator;
import javax.validation.ConstraintValidatorFactory;
import javax.validation.ConstraintViolation;
import javax.validation.Validation;
import javax.validation.Validator;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.internal.ConfigurationData;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.nix.rest.NixSigningRequests;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.repository.nix.secrets.InMemoryNixSecrets;
import org.sonatype.nexus.repository.nix.signing.SigningKeyCipher;
import org.sonatype.nexus.repository.nix.signing.TestPasswordHelpers;
import org.sonatype.nexus.validation.ConstraintViolationFactory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

/**
 * What the repository form sends as {@code nix.signing} becomes the stored key, as a REST request would.
 */
class SigningKeyFormRequestsTest
{
  private static final String REPO = "ui-hosted";

  /** Builds Nexus's real violations: its helper validator is private, which Nexus's injector does not mind. */
  private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
      .constraintValidatorFactory(new ConstraintValidatorFactory()
      {
        @Override
        public <T extends ConstraintValidator<?, ?>> T getInstance(final Class<T> type) {
          try {
            Constructor<T> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
          }
          catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public void releaseInstance(final ConstraintValidator<?, ?> instance) {
          // nothing to release
        }
      })
      .buildValidatorFactory().getValidator();

  private final SigningKeyCipher cipher = new SigningKeyCipher(
      TestPasswordHelpers.withLegacyPhrase());

  /** The repository as Nexus has it now; null: it does not exist yet. */
  private Configuration current;

  private final InMemoryNixSecrets secrets = new InMemoryNixSecrets();

  private final SigningKeyFormRequests formRequests = new SigningKeyFormRequests(
      new NixSigningRequests(repositoryManager(), secrets, cipher), new ConstraintViolationFactory(() -> VALIDATOR));

  private NixSecretKey keyOf(final Map<String, Object> signing) {
    return NixSecretKey.parse(secrets.read((String) signing.get("keyId")).orElseThrow());
  }

  @Test
  void generateStoresANewKeyNamedAfterTheRepositoryOutsideTheConfiguration() {
    Configuration saved = form("nix-hosted", signing("generate", true));

    assertThat(formRequests.validate(saved)).isNull();

    Map<String, Object> signing = storedSigning(saved);
    assertThat(signing).containsOnlyKeys("keyName", "publicKey", "keyId", "created");
    assertThat(signing.get("keyName")).isEqualTo(REPO + "-1");
    assertThat(keyOf(signing).publicKey().toText()).isEqualTo(signing.get("publicKey"));
  }

  @Test
  void generateUsesTheKeyNameGiven() {
    Configuration saved = form("nix-group", signing("generate", true, "keyName", "team-cache-2"));

    formRequests.validate(saved);

    assertThat(storedSigning(saved).get("keyName")).isEqualTo("team-cache-2");
  }

  @Test
  void anImportedSecretIsKeptOutsideTheConfiguration() {
    Configuration saved = form("nix-hosted", signing("secret", TEST_1_SECRET_KEY));

    assertThat(formRequests.validate(saved)).isNull();

    Map<String, Object> signing = storedSigning(saved);
    assertThat(signing.get("publicKey")).isEqualTo(TEST_1_PUBLIC_KEY);
    assertThat(signing).doesNotContainKey("secret");
    assertThat(keyOf(signing)).isEqualTo(NixSecretKey.parse(TEST_1_SECRET_KEY));
  }

  @Test
  void aKeyStoredTheOldWayInTheConfigurationMovesOutOnTheNextSave() {
    // what an update of a repository saved by an earlier version hands over (e.g. at startup)
    Map<String, Object> legacy = signing("keyName", "test-1", "publicKey", TEST_1_PUBLIC_KEY,
        "secret", cipher.encrypt(NixSecretKey.parse(TEST_1_SECRET_KEY)), "created", 1L);
    Configuration saved = form("nix-hosted", legacy);

    assertThat(formRequests.validate(saved)).isNull();

    Map<String, Object> signing = storedSigning(saved);
    assertThat(signing).doesNotContainKey("secret").containsEntry("created", 1L);
    assertThat(keyOf(signing)).isEqualTo(NixSecretKey.parse(TEST_1_SECRET_KEY));
  }

  @Test
  void aFormSaveOfARepositoryWhoseKeyIsStoredTheOldWayMovesItOut() {
    current = form("nix-hosted", signing("keyName", "test-1", "publicKey", TEST_1_PUBLIC_KEY,
        "secret", cipher.encrypt(NixSecretKey.parse(TEST_1_SECRET_KEY))));
    // the form shows no secret, so it sends none back
    Configuration saved = form("nix-hosted",
        signing("keyName", "test-1", "publicKey", TEST_1_PUBLIC_KEY, "secret", "", "generate", false));

    assertThat(formRequests.validate(saved)).isNull();

    Map<String, Object> signing = storedSigning(saved);
    assertThat(signing).doesNotContainKey("secret");
    assertThat(keyOf(signing)).isEqualTo(NixSecretKey.parse(TEST_1_SECRET_KEY));
  }

  @Test
  void aFormThatAsksForNothingKeepsTheCurrentKey() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);
    Map<String, Object> before = storedSigning(current);
    // what the form sends back: the key's name and public key, no change chosen
    Configuration saved = form("nix-hosted",
        signing("keyName", "test-1", "publicKey", TEST_1_PUBLIC_KEY, "generate", false, "remove", false));

    assertThat(formRequests.validate(saved)).isNull();

    assertThat(storedSigning(saved)).isEqualTo(before);
  }

  @Test
  void aFormThatAsksForNothingOnARepositoryWithoutKeyStoresNone() {
    Configuration saved = form("nix-hosted", signing("keyName", "", "publicKey", "", "generate", false));

    formRequests.validate(saved);

    assertThat(nixSection(saved)).doesNotContainKey(NixSigningFacet.SIGNING);
  }

  @Test
  void removeDropsTheKey() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);
    Configuration saved = form("nix-hosted", signing("keyName", "test-1", "remove", true));

    formRequests.validate(saved);

    assertThat(nixSection(saved)).doesNotContainKey(NixSigningFacet.SIGNING);
  }

  @Test
  void aKeyAsStoredIsLeftAlone() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);
    // what the REST API's converters hand to Nexus
    Configuration saved = form("nix-hosted", new LinkedHashMap<>(storedSigning(current)));
    Map<String, Object> before = new LinkedHashMap<>(storedSigning(saved));

    assertThat(formRequests.validate(saved)).isNull();

    assertThat(storedSigning(saved)).isEqualTo(before);
  }

  @Test
  void aSecretThatIsNoKeyIsAViolationOfTheImportFieldWithoutTheSecret() {
    Configuration saved = form("nix-hosted", signing("secret", "oops:c2VjcmV0LW1hdGVyaWFs"));

    ConstraintViolation<?> violation = formRequests.validate(saved);

    assertThat(violation.getPropertyPath().toString()).isEqualTo("attributes.nix.signing.secret");
    assertThat(violation.getMessage()).doesNotContain("c2VjcmV0LW1hdGVyaWFs").doesNotStartWith("nix.signing");
  }

  @Test
  void otherRecipesAreLeftAsSent() {
    Configuration saved = form("nix-proxy", signing("generate", true));

    formRequests.validate(saved);

    assertThat(storedSigning(saved)).containsEntry("generate", true).doesNotContainKey("keyId");
  }

  private void givenTheRepositoryHasKey(final String secretKey) {
    Configuration configuration = form("nix-hosted", signing("secret", secretKey));
    formRequests.validate(configuration);
    current = configuration;
  }

  private static Map<String, Object> signing(final Object... keysAndValues) {
    Map<String, Object> signing = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      signing.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return signing;
  }

  /** A configuration as the repository form sends it, with this {@code nix.signing} block. */
  private static Configuration form(final String recipe, final Map<String, Object> signing) {
    Configuration configuration = new ConfigurationData();
    configuration.setRepositoryName(REPO);
    configuration.setRecipeName(recipe);
    Map<String, Object> nix = new LinkedHashMap<>();
    nix.put("storeDir", "/nix/store");
    nix.put(NixSigningFacet.SIGNING, signing);
    Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
    attributes.put("nix", nix);
    configuration.setAttributes(attributes);
    return configuration;
  }

  private static Map<String, Object> nixSection(final Configuration configuration) {
    return configuration.getAttributes().get("nix");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> storedSigning(final Configuration configuration) {
    return (Map<String, Object>) nixSection(configuration).get(NixSigningFacet.SIGNING);
  }

  /** Answers {@link #current} for the repository's name, nothing else. */
  private RepositoryManager repositoryManager() {
    return proxy(RepositoryManager.class, (method, args) -> {
      if (!"get".equals(method) || !REPO.equals(args[0]) || current == null) {
        return null;
      }
      return proxy(Repository.class, (m, a) -> "getConfiguration".equals(m) ? current : null);
    });
  }

  private interface Answer
  {
    Object answer(String method, Object[] args);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(final Class<T> type, final Answer answer) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
        (instance, method, args) -> answer.answer(method.getName(), args));
  }
}
