package org.sonatype.nexus.repository.nix.store;

import java.util.Collection;
import java.util.List;

import org.sonatype.nexus.repository.content.store.AssetDAO;

import org.apache.ibatis.annotations.Param;

/**
 * Nix asset table {@code nix_asset}; the name prefix is load-bearing: Nexus derives the table name from it.
 *
 * The Nix extensions keep, for each narinfo, the NAR file it points at ({@code nix_asset.nar_path}) and its
 * references ({@code nix_reference}), so that closure questions ("is every reference here?", "who still uses
 * this NAR?", "who references this path?") are indexed queries instead of scans of JSON attributes.
 */
public interface NixAssetDAO
    extends AssetDAO
{
  /**
   * Adds the {@code nar_path} column and the {@code nix_reference} table (declared here so MyBatis runs the mapped
   * statement instead of the interface's no-op default).
   */
  @Override
  void extendSchema();

  /**
   * Moves an asset into a component. A NAR is uploaded before the narinfo that names its store path,
   * so it only joins that store path's component when the narinfo arrives.
   */
  int updateAssetComponent(@Param("assetId") int assetId, @Param("componentId") int componentId);

  int updateNarPath(@Param("assetId") int assetId, @Param("narPath") String narPath);

  /** Paths of the narinfos that point at the given NAR file. */
  List<String> findNarInfosUsingNar(
      @Param("repositoryId") int repositoryId,
      @Param("narPath") String narPath,
      @Param("limit") int limit);

  void deleteReferences(@Param("assetId") int assetId);

  void insertReferences(
      @Param("repositoryId") int repositoryId,
      @Param("assetId") int assetId,
      @Param("referenceHashes") Collection<String> referenceHashes);

  /** Which of the given asset paths exist in the repository. */
  List<String> findExistingPaths(@Param("repositoryId") int repositoryId, @Param("paths") Collection<String> paths);

  /**
   * Paths of the assets of one kind whose path matches a {@code LIKE} pattern (escape character '!'), most recently
   * created first.
   */
  List<String> findNewestPaths(
      @Param("repositoryId") int repositoryId,
      @Param("kind") String kind,
      @Param("pathPattern") String pathPattern,
      @Param("limit") int limit);

  /**
   * Locks the rows of those of the given asset paths that exist until the transaction ends (exclusively, or shared
   * where the database can), in path order, and returns their paths.
   */
  List<String> lockPaths(
      @Param("repositoryId") int repositoryId,
      @Param("paths") Collection<String> paths,
      @Param("exclusive") boolean exclusive);

  /** Locks the content repository's row (its attributes: the pins) until the transaction ends. */
  Integer lockContentRepository(@Param("repositoryId") int repositoryId);

  /** Paths of the narinfos that reference the store path with the given hash. */
  List<String> findReferrers(
      @Param("repositoryId") int repositoryId,
      @Param("referenceHash") String referenceHash,
      @Param("limit") int limit);
}
