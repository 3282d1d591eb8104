package org.sonatype.nexus.repository.nix.flakes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.ComponentFiles;
import org.sonatype.nexus.repository.nix.content.NarInfoAttributes;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeArchive;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeSource;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeVersionOrder;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

/**
 * Private flakes in a hosted repository's content store.
 *
 * Each version's source tarball is an asset at {@code /flakes/<name>/<version><extension>} (kind
 * {@value #TARBALL_KIND}) in a component of namespace {@value #NAMESPACE}, name = flake name, version = version
 * (kind {@value #COMPONENT_KIND}), so flake versions show up in search and browse and fall under cleanup policies.
 * The namespace keeps them apart from store paths and channels. The asset's {@code nix} attributes hold what Nix
 * locks ({@link StoredFlake}).
 *
 * Which version is the newest is {@link FlakeVersionOrder}'s rule, with upload order (the assets' creation order)
 * where it needs one.
 */
final class FlakeStore
{
  static final String NAMESPACE = "flakes";

  static final String COMPONENT_KIND = "flake-version";

  static final String TARBALL_KIND = "flake-tarball";

  /**
   * How many versions the registry and the newest-version question look at, per repository. Beyond this, older
   * uploads are still served by their URLs but no longer considered.
   */
  static final int MAX_LISTED = 10_000;

  private final NixContentFacet content;

  FlakeStore(final NixContentFacet content) {
    this.content = content;
  }

  /** The newest version of every flake, by name. */
  List<StoredFlake> newestOfEach() {
    Map<String, List<FlakeRelease>> byName = new TreeMap<>();
    for (FlakeRelease release : parse(content.newestPaths(TARBALL_KIND, FlakeRelease.ROOT, MAX_LISTED))) {
      byName.computeIfAbsent(release.name(), name -> new ArrayList<>()).add(release);
    }
    List<StoredFlake> newest = new ArrayList<>();
    for (List<FlakeRelease> releases : byName.values()) {
      FlakeVersionOrder.newest(releases, FlakeRelease::version).flatMap(this::stored).ifPresent(newest::add);
    }
    return newest;
  }

  Optional<StoredFlake> newest(final String name) {
    List<FlakeRelease> releases = parse(content.newestPaths(TARBALL_KIND, FlakeRelease.directory(name), MAX_LISTED));
    return FlakeVersionOrder.newest(releases, FlakeRelease::version).flatMap(this::stored);
  }

  Optional<FluentAsset> find(final FlakeRelease release) {
    return content.findAsset(release.tarballPath());
  }

  /** The stored tarball of the same name and version, whatever its format. */
  Optional<FluentAsset> findVersion(final FlakeRelease release) {
    for (FlakeArchive archive : FlakeArchive.values()) {
      Optional<FluentAsset> asset =
          content.findAsset(FlakeRelease.of(release.name(), release.version(), archive).tarballPath());
      if (asset.isPresent()) {
        return asset;
      }
    }
    return Optional.empty();
  }

  /** Stores a tarball (already checked and measured) as the release's, creating its component: all or nothing. */
  FluentAsset save(final FlakeRelease release, final TempBlob tarball, final FlakeSource source) {
    return ComponentFiles.save(content, new ComponentFiles.Coordinates(NAMESPACE, release.name(), release.version(),
        COMPONENT_KIND, release.tarballPath(), TARBALL_KIND), tarball, StoredFlake.toAttributes(release, source));
  }

  /**
   * Deletes a version's tarball and its component.
   *
   * @return false if there was no such version
   */
  boolean delete(final FlakeRelease release) {
    return ComponentFiles.delete(content, release.tarballPath());
  }

  private Optional<StoredFlake> stored(final FlakeRelease release) {
    return find(release).flatMap(asset ->
        StoredFlake.fromAttributes(release, new LinkedHashMap<>(NarInfoAttributes.of(asset.attributes()).backing())));
  }

  private static List<FlakeRelease> parse(final List<String> tarballPaths) {
    List<FlakeRelease> releases = new ArrayList<>(tarballPaths.size());
    for (String path : tarballPaths) {
      FlakeRelease.fromTarballPath(path).ifPresent(releases::add);
    }
    return releases;
  }
}
