package org.sonatype.nexus.repository.nix.signing;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.internal.ConfigurationData;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.manager.RepositoryUpdatedEvent;
import org.sonatype.nexus.repository.nix.secrets.InMemoryNixSecrets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A key leaves the database when its repository no longer refers to it. */
class SigningKeySecretsTest
{
  private final InMemoryNixSecrets secrets = new InMemoryNixSecrets();

  private final SigningKeySecrets keySecrets = new SigningKeySecrets(
      (RepositoryManager) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{RepositoryManager.class},
          (proxy, method, args) -> null), secrets);

  @Test
  void aRotatedKeyIsForgottenOnceTheNewOneIsSaved() {
    String old = secrets.store(NixSigningFacet.secretPurpose("r"), "old");
    String current = secrets.store(NixSigningFacet.secretPurpose("r"), "new");

    keySecrets.on(new RepositoryUpdatedEvent(repository(configuration(current)), configuration(old)));

    assertThat(secrets.read(old)).isEmpty();
    assertThat(secrets.read(current)).contains("new");
  }

  @Test
  void anUpdateThatKeepsTheKeyKeepsIt() {
    String current = secrets.store(NixSigningFacet.secretPurpose("r"), "key");

    keySecrets.on(new RepositoryUpdatedEvent(repository(configuration(current)), configuration(current)));

    assertThat(secrets.read(current)).contains("key");
  }

  @Test
  void aRemovedKeyIsForgotten() {
    String removed = secrets.store(NixSigningFacet.secretPurpose("r"), "removed");

    keySecrets.on(new RepositoryUpdatedEvent(repository(configuration(null)), configuration(removed)));

    assertThat(secrets.size()).isZero();
  }

  private static Configuration configuration(final String keyId) {
    Configuration configuration = new ConfigurationData();
    configuration.setRepositoryName("r");
    configuration.setRecipeName("nix-hosted");
    Map<String, Object> nix = new LinkedHashMap<>();
    if (keyId != null) {
      nix.put(NixSigningFacet.SIGNING, new LinkedHashMap<>(Map.of(NixSigningFacet.KEY_ID, keyId)));
    }
    Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
    attributes.put("nix", nix);
    configuration.setAttributes(attributes);
    return configuration;
  }

  private static Repository repository(final Configuration configuration) {
    return (Repository) Proxy.newProxyInstance(SigningKeySecretsTest.class.getClassLoader(),
        new Class<?>[]{Repository.class}, (proxy, method, args) -> "getConfiguration".equals(method.getName())
            ? configuration : null);
  }
}
