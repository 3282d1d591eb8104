package org.sonatype.nexus.repository.nix.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

import org.sonatype.nexus.repository.content.Component;
import org.sonatype.nexus.repository.content.facet.ContentFacetSupport;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.content.fluent.FluentComponent;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import com.google.common.hash.HashCode;

import static org.sonatype.nexus.common.hash.HashAlgorithm.SHA256;

/**
 * Files that are published as components of their own (channel snapshots, flake versions), as opposed to the
 * files of a store path: stored with their component in one transaction, deleted with it once it has no file left.
 */
public final class ComponentFiles
{
  /** Where a file belongs: its component's namespace, name, version and kind, and its own path and kind. */
  public static final class Coordinates
  {
    final String namespace;

    final String name;

    final String version;

    final String componentKind;

    final String path;

    final String assetKind;

    public Coordinates(
        final String namespace,
        final String name,
        final String version,
        final String componentKind,
        final String path,
        final String assetKind)
    {
      this.namespace = namespace;
      this.name = name;
      this.version = version;
      this.componentKind = componentKind;
      this.path = path;
      this.assetKind = assetKind;
    }
  }

  private ComponentFiles() {
  }

  /**
   * Stores a file (already checked) with its {@code nix} attributes, creating its component if needed: all or
   * nothing.
   */
  public static FluentAsset save(
      final NixContentFacet content,
      final Coordinates at,
      final TempBlob blob,
      final Map<String, Object> attributes)
  {
    ContentFacetSupport store = (ContentFacetSupport) content;
    // concurrent saves of one version (on any node): one creates its component, the others run again and find it
    return unchecked(() -> content.inTransaction(() -> {
      FluentComponent component = content.components()
          .name(at.name)
          .namespace(at.namespace)
          .version(at.version)
          .normalizedVersion(store.versionNormalizerService()
              .getNormalizedVersionByFormat(at.version, store.repository().getFormat()))
          .kind(at.componentKind)
          .getOrCreate();
      FluentAsset asset = content.assets()
          .path(at.path)
          .kind(at.assetKind)
          .component(component)
          .blob(blob)
          .save();
      return asset.withAttribute(NarInfoAttributes.SECTION, attributes);
    }));
  }

  /** Whether a stored file has exactly the bytes of {@code blob}: an identical re-upload changes nothing. */
  public static boolean sameBytes(final FluentAsset stored, final TempBlob blob) {
    return stored.blob()
        .map(b -> b.checksums().get(SHA256.name()))
        .map(HashCode::fromString)
        .map(blob.getHashes().get(SHA256)::equals)
        .orElse(false);
  }

  /**
   * Deletes the file at {@code path}, and its component once the component has no file left.
   *
   * @return false if there was no such file
   */
  public static boolean delete(final NixContentFacet content, final String path) {
    return unchecked(() -> content.inTransaction(() -> {
      Optional<FluentAsset> asset = content.findAsset(path);
      if (asset.isEmpty()) {
        return false;
      }
      Optional<Component> component = asset.get().component();
      asset.get().delete();
      component.map(content.components()::with)
          .filter(remaining -> remaining.assets(false).isEmpty())
          .ifPresent(FluentComponent::delete);
      return true;
    }));
  }

  private static <T> T unchecked(final NixTransactions.Work<T> work) {
    try {
      return work.run();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
