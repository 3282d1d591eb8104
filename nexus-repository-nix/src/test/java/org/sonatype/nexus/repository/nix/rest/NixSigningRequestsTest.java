package org.sonatype.nexus.repository.nix.rest;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.nix.protocol.NixSecretKey;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.nix.secrets.InMemoryNixSecrets;
import org.sonatype.nexus.repository.nix.signing.SigningKeyCipher;
import org.sonatype.nexus.repository.nix.signing.SigningKeySecrets;
import org.sonatype.nexus.repository.nix.signing.TestPasswordHelpers;
import org.sonatype.nexus.rest.ValidationErrorsException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.EXAMPLE_SECRET_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

class NixSigningRequestsTest
{
  private static final String REPO = "nix-hosted";

  private final SigningKeyCipher cipher = new SigningKeyCipher(
      TestPasswordHelpers.withLegacyPhrase());

  /** The nix section of the repository as it is now; null: no such repository. */
  private Map<String, Object> existing;

  private final InMemoryNixSecrets secrets = new InMemoryNixSecrets();

  private final NixSigningRequests requests = new NixSigningRequests(repositoryManager(), secrets, cipher);

  private final NestedAttributesMap nix = new NestedAttributesMap("nix", new LinkedHashMap<>());

  private static NixSigningAttributes generate(final String keyName) {
    return new NixSigningAttributes(keyName, true, null, null, null);
  }

  private static NixSigningAttributes importing(final String secretKey, final String keyName) {
    return new NixSigningAttributes(keyName, null, secretKey, null, null);
  }

  private NixSecretKey storedKey() {
    String id = nix.child(NixSigningFacet.SIGNING).get(NixSigningFacet.KEY_ID, String.class);
    return NixSecretKey.parse(secrets.read(id).orElseThrow());
  }

  private void givenTheRepositoryHasKey(final String secretKey) {
    NestedAttributesMap current = new NestedAttributesMap("nix", new LinkedHashMap<>());
    requests.applyTo(importing(secretKey, null), REPO, current);
    existing = current.backing();
  }

  @Test
  void generatingMakesANewKeyNamedAfterTheRepository() {
    requests.applyTo(generate(null), REPO, nix);

    NestedAttributesMap signing = nix.child(NixSigningFacet.SIGNING);
    assertThat(signing.get(NixSigningFacet.KEY_NAME)).isEqualTo("nix-hosted-1");
    assertThat(signing.get(NixSigningFacet.PUBLIC_KEY)).isEqualTo(storedKey().publicKey().toText());
    assertThat(signing.get(NixSigningFacet.CREATED)).isInstanceOf(Long.class);
  }

  @Test
  void generatingUsesTheGivenKeyName() {
    requests.applyTo(generate("cache.example.org-7"), REPO, nix);

    assertThat(storedKey().name()).isEqualTo("cache.example.org-7");
  }

  @Test
  void generatingWithAnInvalidKeyNameIsA400NamingTheField() {
    assertThatThrownBy(() -> requests.applyTo(generate("bad name"), REPO, nix))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.signing.keyName: ");
  }

  @Test
  void importingKeepsTheKeyInNixSecretsAndOnlyItsIdInTheConfiguration() {
    requests.applyTo(importing(TEST_1_SECRET_KEY, null), REPO, nix);

    NestedAttributesMap signing = nix.child(NixSigningFacet.SIGNING);
    assertThat(storedKey()).isEqualTo(NixSecretKey.parse(TEST_1_SECRET_KEY));
    assertThat(signing.get(NixSigningFacet.PUBLIC_KEY)).isEqualTo(TEST_1_PUBLIC_KEY);
    assertThat(signing.backing()).containsOnlyKeys("keyName", "publicKey", "keyId", "created");
    assertThat(secrets.purposeOf(signing.get(NixSigningFacet.KEY_ID, String.class)))
        .isEqualTo("repository/" + REPO + "/nix.signing");
  }

  @Test
  void aKeyStoredTheOldWayMovesIntoNixSecretsAndOutOfTheConfiguration() {
    Map<String, Object> legacy = new LinkedHashMap<>();
    legacy.put("keyName", "test-1");
    legacy.put("publicKey", TEST_1_PUBLIC_KEY);
    legacy.put("secret", cipher.encrypt(NixSecretKey.parse(TEST_1_SECRET_KEY)));
    assertThat(SigningKeySecrets.isLegacy(legacy)).isTrue();

    assertThat(requests.migrateLegacy(legacy, REPO)).isTrue();

    assertThat(legacy).containsOnlyKeys("keyName", "publicKey", "keyId");
    assertThat(secrets.read((String) legacy.get("keyId")).map(NixSecretKey::parse))
        .contains(NixSecretKey.parse(TEST_1_SECRET_KEY));
    assertThat(SigningKeySecrets.isLegacy(legacy)).isFalse();
    assertThat(requests.migrateLegacy(legacy, REPO)).isFalse();
  }

  @Test
  void aMalformedSecretKeyIsA400NamingTheFieldWithoutEchoingTheKey() {
    String truncated = TEST_1_SECRET_KEY.substring(0, TEST_1_SECRET_KEY.length() - 6) + "=";

    assertThatThrownBy(() -> requests.applyTo(importing(truncated, null), REPO, nix))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.signing.secretKey: ")
        .hasMessageNotContaining("BH7pOraiE7p");
  }

  @Test
  void anImportedKeyKeepsItsOwnName() {
    assertThatThrownBy(() -> requests.applyTo(importing(TEST_1_SECRET_KEY, "other-1"), REPO, nix))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.signing.keyName: the imported key is named 'test-1'");
  }

  @Test
  void anUpdateWithoutASigningBlockKeepsTheCurrentKey() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);

    requests.applyTo(null, REPO, nix);

    assertThat(storedKey()).isEqualTo(NixSecretKey.parse(TEST_1_SECRET_KEY));
  }

  @Test
  void withoutASigningBlockOrACurrentKeyThereIsNoKey() {
    nix.set(NixSigningFacet.SIGNING, new LinkedHashMap<>());

    requests.applyTo(null, REPO, nix);

    assertThat(nix.contains(NixSigningFacet.SIGNING)).isFalse();
  }

  @Test
  void puttingBackWhatAGetReturnedKeepsTheCurrentKey() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);

    requests.applyTo(new NixSigningAttributes("test-1", null, null, null, TEST_1_PUBLIC_KEY), REPO, nix);

    assertThat(storedKey()).isEqualTo(NixSecretKey.parse(TEST_1_SECRET_KEY));
  }

  @Test
  void renamingTheCurrentKeyIsRefused() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);

    assertThatThrownBy(() -> requests.applyTo(new NixSigningAttributes("test-2", null, null, null, null), REPO, nix))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.signing.keyName: the current key is named 'test-1'");
  }

  @Test
  void aKeyNameAloneIsRefusedWhenThereIsNoKey() {
    assertThatThrownBy(() -> requests.applyTo(new NixSigningAttributes("x-1", null, null, null, null), REPO, nix))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.signing: the repository has no signing key");
  }

  @Test
  void generatingOnARepositoryWithAKeyRotatesIt() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);

    requests.applyTo(generate("test-1"), REPO, nix);

    assertThat(storedKey().name()).isEqualTo("test-1");
    assertThat(storedKey()).isNotEqualTo(NixSecretKey.parse(TEST_1_SECRET_KEY));
  }

  @Test
  void importingOnARepositoryWithAKeyReplacesIt() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);

    requests.applyTo(importing(EXAMPLE_SECRET_KEY, null), REPO, nix);

    assertThat(storedKey()).isEqualTo(NixSecretKey.parse(EXAMPLE_SECRET_KEY));
  }

  @Test
  void removingDropsTheKey() {
    givenTheRepositoryHasKey(TEST_1_SECRET_KEY);

    requests.applyTo(new NixSigningAttributes(null, null, null, true, null), REPO, nix);

    assertThat(nix.contains(NixSigningFacet.SIGNING)).isFalse();
  }

  @Test
  void removingAndGeneratingAtOnceIsRefused() {
    assertThatThrownBy(() -> requests.applyTo(new NixSigningAttributes(null, true, null, true, null), REPO, nix))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.signing: ");
  }

  @Test
  void generatingAndImportingAtOnceIsRefused() {
    assertThatThrownBy(() -> requests.applyTo(new NixSigningAttributes(null, true, TEST_1_SECRET_KEY, null, null),
        REPO, nix))
        .isInstanceOf(ValidationErrorsException.class)
        .hasMessageStartingWith("nix.signing: ");
  }

  // --- a repository manager that knows one repository, whose nix section is {@link #existing}

  private RepositoryManager repositoryManager() {
    return stub(RepositoryManager.class, (method, args) -> {
      if (!method.equals("get") || !REPO.equals(args[0]) || existing == null) {
        return null;
      }
      Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
      attributes.put("nix", existing);
      Configuration configuration = stub(Configuration.class,
          (m, a) -> m.equals("getAttributes") ? attributes : null);
      return stub(Repository.class, (m, a) -> m.equals("getConfiguration") ? configuration : null);
    });
  }

  interface Answer
  {
    Object answer(String method, Object[] args);
  }

  @SuppressWarnings("unchecked")
  private static <T> T stub(final Class<T> type, final Answer answer) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
        (proxy, method, args) -> answer.answer(method.getName(), args));
  }
}
