package org.sonatype.nexus.repository.nix.secrets;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Where the plugin keeps secrets (a repository's signing key; later, replication passwords): never in a repository's
 * configuration, which Nexus hands to its UI as it is, but in Nexus's database under an id the configuration keeps
 * instead. Nothing that reads a configuration (the UI, REST, support zips, logs) sees more than that id.
 *
 * <p>Each secret has a purpose (e.g. {@code repository/<name>/nix.signing}) that says what it belongs to, so the
 * secrets of something deleted, or left behind by a save that failed, can be found and removed.
 */
public interface NixSecrets
{
  /**
   * Keeps a secret.
   *
   * @return the id to keep instead of it
   */
  String store(String purpose, String secret);

  /** The secret kept under {@code id}; empty if there is none (removed, or never stored here). */
  Optional<String> read(String id);

  /** Forgets a secret; nothing if there is none. */
  void remove(String id);

  /**
   * Forgets the secrets whose purpose starts with {@code purposePrefix}, except those in {@code keep} and those
   * younger than {@code minimumAge} (a save on its way: stored, its configuration not yet).
   *
   * @return how many were removed
   */
  int removeUnreferenced(String purposePrefix, Set<String> keep, Duration minimumAge);
}
