package org.sonatype.nexus.repository.nix.signing;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.common.app.ManagedLifecycle;
import org.sonatype.nexus.common.event.EventAware;
import org.sonatype.nexus.common.stateguard.StateGuardLifecycleSupport;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.manager.RepositoryUpdatedEvent;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.secrets.NixSecrets;

import com.google.common.eventbus.Subscribe;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.common.app.ManagedLifecycle.Phase.TASKS;

/**
 * Keeps the signing keys in {@link NixSecrets} in step with the repositories: a rotated or removed key is forgotten
 * once the new configuration is saved (a deleted repository's key goes with it: {@link NixSigningFacet}); at
 * startup, keys still kept in a configuration (as versions before {@link NixSecrets} kept them) move out of it, and
 * keys no configuration refers to (left behind by a save that failed after the key was stored) are removed once they
 * are an hour old.
 */
@Named
@Singleton
@ManagedLifecycle(phase = TASKS)
public class SigningKeySecrets
    extends StateGuardLifecycleSupport
    implements EventAware
{
  /** The purposes of every repository's secrets start with this. */
  public static final String PURPOSE_PREFIX = "repository/";

  /** Older than this, a stored key no configuration refers to is not a save on its way. */
  static final Duration ORPHAN_AGE = Duration.ofHours(1);

  private final RepositoryManager repositoryManager;

  private final NixSecrets secrets;

  @Inject
  public SigningKeySecrets(final RepositoryManager repositoryManager, final NixSecrets secrets) {
    this.repositoryManager = checkNotNull(repositoryManager);
    this.secrets = checkNotNull(secrets);
  }

  /**
   * Whether a {@code nix.signing} map still holds the key itself (encrypted with Nexus's public default phrase), as
   * versions before {@link NixSigningFacet#KEY_ID} stored it.
   */
  public static boolean isLegacy(@Nullable final Map<?, ?> signing) {
    return signing != null && signing.get(NixSigningFacet.KEY_ID) == null
        && SigningKeyCipher.isEncrypted(signing.get(NixSigningFacet.SECRET));
  }

  @Override
  protected void doStart() throws Exception {
    Set<String> referenced = new HashSet<>();
    for (Repository repository : repositoryManager.browse()) {
      if (!NixFormat.NAME.equals(repository.getFormat().getValue())) {
        continue;
      }
      Configuration configuration = repository.getConfiguration();
      if (isLegacy(signing(configuration))) {
        // saving runs SigningKeyFormRequests, which moves the key into NixSecrets
        try {
          configuration = repositoryManager.update(configuration.copy()).getConfiguration();
        }
        catch (Exception e) {
          log.warn("Repository {}: could not move its signing key out of its configuration: {}",
              repository.getName(), e.toString());
        }
      }
      keyId(configuration).ifPresent(referenced::add);
    }
    int removed = secrets.removeUnreferenced(PURPOSE_PREFIX, referenced, ORPHAN_AGE);
    if (removed > 0) {
      log.info("Removed {} signing key(s) no repository refers to", removed);
    }
  }

  @Subscribe
  public void on(final RepositoryUpdatedEvent event) {
    Optional<String> before = keyId(event.getOldConfiguration());
    if (before.isPresent() && !before.equals(keyId(event.getRepository().getConfiguration()))) {
      secrets.remove(before.get());
    }
  }

  @Nullable
  private static Map<?, ?> signing(@Nullable final Configuration configuration) {
    Map<String, Map<String, Object>> attributes = configuration == null ? null : configuration.getAttributes();
    Map<String, Object> nix = attributes == null ? null : attributes.get(NixSettingsFacet.SECTION);
    Object signing = nix == null ? null : nix.get(NixSigningFacet.SIGNING);
    return signing instanceof Map ? (Map<?, ?>) signing : null;
  }

  static Optional<String> keyId(@Nullable final Configuration configuration) {
    Map<?, ?> signing = signing(configuration);
    Object id = signing == null ? null : signing.get(NixSigningFacet.KEY_ID);
    return id instanceof String ? Optional.of((String) id) : Optional.empty();
  }
}
