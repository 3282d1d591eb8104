package org.sonatype.nexus.repository.nix.secrets;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@link NixSecrets} in a map, for tests of what uses them. */
public class InMemoryNixSecrets
    implements NixSecrets
{
  private final Map<String, String> secrets = new LinkedHashMap<>();

  private final Map<String, String> purposes = new LinkedHashMap<>();

  @Override
  public String store(final String purpose, final String secret) {
    String id = UUID.randomUUID().toString();
    secrets.put(id, secret);
    purposes.put(id, purpose);
    return id;
  }

  @Override
  public Optional<String> read(final String id) {
    return Optional.ofNullable(secrets.get(id));
  }

  @Override
  public void remove(final String id) {
    secrets.remove(id);
    purposes.remove(id);
  }

  @Override
  public int removeUnreferenced(final String purposePrefix, final Set<String> keep, final Duration minimumAge) {
    throw new UnsupportedOperationException();
  }

  public String purposeOf(final String id) {
    return purposes.get(id);
  }

  public int size() {
    return secrets.size();
  }
}
