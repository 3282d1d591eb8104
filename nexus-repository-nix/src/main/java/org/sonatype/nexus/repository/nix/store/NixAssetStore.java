package org.sonatype.nexus.repository.nix.store;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;
import javax.inject.Named;

import org.sonatype.nexus.datastore.api.DataSessionSupplier;
import org.sonatype.nexus.repository.content.Asset;
import org.sonatype.nexus.repository.content.Component;
import org.sonatype.nexus.repository.content.store.AssetStore;
import org.sonatype.nexus.transaction.Transactional;

import com.google.common.collect.Iterables;
import com.google.inject.assistedinject.Assisted;

import static org.sonatype.nexus.common.app.FeatureFlags.DATASTORE_CLUSTERED_ENABLED_NAMED;
import static org.sonatype.nexus.repository.content.store.InternalIds.internalAssetId;
import static org.sonatype.nexus.repository.content.store.InternalIds.internalComponentId;

/**
 * The Nix asset store: Nexus's asset store plus the closure queries Nix content needs (see {@link NixAssetDAO}).
 */
public class NixAssetStore
    extends AssetStore<NixAssetDAO>
{
  /** Keeps {@code IN (...)} lists well inside every database's parameter limits. */
  private static final int IN_BATCH = 500;

  @Inject
  public NixAssetStore(
      final DataSessionSupplier sessionSupplier,
      @Named(DATASTORE_CLUSTERED_ENABLED_NAMED) final boolean clustered,
      @Assisted final String storeName)
  {
    super(sessionSupplier, clustered, storeName, NixAssetDAO.class);
  }

  @Transactional
  public void updateAssetComponent(final Asset asset, final Component component) {
    dao().updateAssetComponent(internalAssetId(asset), internalComponentId(component));
  }

  /**
   * Records what a narinfo points at: its NAR file and the hashes of the store paths it references.
   */
  @Transactional
  public void recordNarInfoLinks(
      final int repositoryId,
      final Asset narInfoAsset,
      final String narPath,
      final Collection<String> referenceHashes)
  {
    int assetId = internalAssetId(narInfoAsset);
    dao().updateNarPath(assetId, narPath);
    dao().deleteReferences(assetId);
    for (List<String> batch : Iterables.partition(new HashSet<>(referenceHashes), IN_BATCH)) {
      dao().insertReferences(repositoryId, assetId, batch);
    }
  }

  @Transactional
  public List<String> findNarInfosUsingNar(final int repositoryId, final String narPath, final int limit) {
    return dao().findNarInfosUsingNar(repositoryId, narPath, limit);
  }

  @Transactional
  public Set<String> findExistingPaths(final int repositoryId, final Collection<String> paths) {
    Set<String> existing = new HashSet<>();
    for (List<String> batch : Iterables.partition(new HashSet<>(paths), IN_BATCH)) {
      existing.addAll(dao().findExistingPaths(repositoryId, batch));
    }
    return existing;
  }

  /**
   * Paths of the assets of one kind under a path prefix, most recently created first.
   */
  @Transactional
  public List<String> findNewestPaths(final int repositoryId, final String kind, final String pathPrefix,
                                      final int limit)
  {
    return dao().findNewestPaths(repositoryId, kind, likePrefix(pathPrefix), limit);
  }

  /** A {@code LIKE} pattern matching everything that starts with {@code prefix} ('!' escapes). */
  static String likePrefix(final String prefix) {
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  /**
   * Locks the rows of those of the given asset paths that exist until the current transaction ends, and returns
   * them. In path order across batches too, so two transactions locking overlapping sets never deadlock.
   */
  @Transactional
  public Set<String> lockPaths(final int repositoryId, final Collection<String> paths, final boolean exclusive) {
    Set<String> locked = new HashSet<>();
    for (List<String> batch : Iterables.partition(new TreeSet<>(paths), IN_BATCH)) {
      locked.addAll(dao().lockPaths(repositoryId, batch, exclusive));
    }
    return locked;
  }

  @Transactional
  public void lockContentRepository(final int repositoryId) {
    dao().lockContentRepository(repositoryId);
  }

  @Transactional
  public List<String> findReferrers(final int repositoryId, final String storeHash, final int limit) {
    return dao().findReferrers(repositoryId, storeHash, limit);
  }
}
