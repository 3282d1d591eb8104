package org.sonatype.nexus.repository.nix.channels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.content.Component;
import org.sonatype.nexus.repository.content.facet.ContentFacetSupport;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.content.fluent.FluentComponent;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixWriteLocks;
import org.sonatype.nexus.repository.nix.protocol.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.ChannelSnapshot;
import org.sonatype.nexus.repository.view.payloads.TempBlob;
import org.sonatype.nexus.transaction.Transactional;

import com.google.common.hash.HashCode;

import static org.sonatype.nexus.common.hash.HashAlgorithm.SHA256;

/**
 * Channel snapshots in a repository's content store, for hosted repositories (deployed) and proxies (fetched).
 *
 * Each snapshot's tarball is an asset at {@code /channels/<channel>/<flavor>/<snapshot>/nixexprs.tar.xz} (kind
 * {@value #TARBALL_KIND}) in a component of namespace {@value #NAMESPACE}, name = channel, version = snapshot (kind
 * {@value #COMPONENT_KIND}), so snapshots show up in search and browse and fall under cleanup policies. The
 * namespace keeps them apart from store-path components, which have namespace "" and could otherwise share a
 * name and version. The asset's {@code nix} attributes repeat channel, flavor and snapshot.
 *
 * The latest snapshot of a channel is the most recently created tarball asset: a deploy moves the pointer, deleting
 * the latest moves it back.
 */
final class ChannelStore
{
  static final String NAMESPACE = "channels";

  static final String COMPONENT_KIND = "channel-snapshot";

  static final String TARBALL_KIND = "channel-tarball";

  static final String CHANNEL = "channel";

  static final String FLAVOR = "flavor";

  static final String SNAPSHOT = "snapshot";

  /**
   * How many snapshots a listing or a "which channels are there" question looks at. Channels keep a few hundred
   * snapshots at most; beyond this, older ones are still served but no longer listed.
   */
  static final int MAX_LISTED = 5000;

  private final NixContentFacet content;

  ChannelStore(final NixContentFacet content) {
    this.content = content;
  }

  /** Channels with at least one stored snapshot, most recently published first. */
  List<String> channels() {
    Set<String> channels = new LinkedHashSet<>();
    for (ChannelSnapshot snapshot : parse(content.newestPaths(TARBALL_KIND, "/channels/", MAX_LISTED))) {
      channels.add(snapshot.channel());
    }
    return new ArrayList<>(channels);
  }

  /** Stored snapshots of a channel (of one flavor, if given), most recently published first. */
  List<ChannelSnapshot> snapshots(final String channel, @Nullable final ChannelFlavor flavor, final int limit) {
    String prefix = "/channels/" + channel + "/" + (flavor == null ? "" : flavor.segment() + "/");
    return parse(content.newestPaths(TARBALL_KIND, prefix, limit));
  }

  Optional<ChannelSnapshot> latest(final String channel, @Nullable final ChannelFlavor flavor) {
    return snapshots(channel, flavor, 1).stream().findFirst();
  }

  Optional<FluentAsset> find(final ChannelSnapshot snapshot) {
    return content.findAsset(snapshot.tarballPath());
  }

  /**
   * Stores a tarball (already checked) as the snapshot's, creating its component if needed: all or nothing.
   *
   * @param extra attributes to keep with channel, flavor and snapshot (a proxy's upstream location)
   */
  FluentAsset save(final ChannelSnapshot snapshot, final TempBlob tarball, final Map<String, Object> extra) {
    ContentFacetSupport store = (ContentFacetSupport) content;
    // concurrent deploys of one snapshot serialise instead of racing to create its component
    String lock = NixWriteLocks.component(store.repository().getName(), NAMESPACE + "/" + snapshot.channel(),
        snapshot.name());
    try {
      return NixWriteLocks.with(lock, () -> saveUnlocked(store, snapshot, tarball, extra));
    }
    catch (RuntimeException e) {
      throw e;
    }
    catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private FluentAsset saveUnlocked(
      final ContentFacetSupport store,
      final ChannelSnapshot snapshot,
      final TempBlob tarball,
      final Map<String, Object> extra)
  {
    return Transactional.operation.withStore(store).call(() -> {
      FluentComponent component = content.components()
          .name(snapshot.channel())
          .namespace(NAMESPACE)
          .version(snapshot.name())
          .normalizedVersion(store.versionNormalizerService()
              .getNormalizedVersionByFormat(snapshot.name(), store.repository().getFormat()))
          .kind(COMPONENT_KIND)
          .getOrCreate();
      FluentAsset asset = content.assets()
          .path(snapshot.tarballPath())
          .kind(TARBALL_KIND)
          .component(component)
          .blob(tarball)
          .save();
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put(CHANNEL, snapshot.channel());
      attributes.put(FLAVOR, snapshot.flavor().segment());
      attributes.put(SNAPSHOT, snapshot.name());
      attributes.putAll(extra);
      return asset.withAttribute(NixFormat.NAME, attributes);
    });
  }

  /**
   * Deletes a snapshot's tarball, and its component once no flavor of that snapshot is left.
   *
   * @return false if there was no such snapshot
   */
  boolean delete(final ChannelSnapshot snapshot) {
    return Transactional.operation.withStore((ContentFacetSupport) content).call(() -> {
      Optional<FluentAsset> asset = find(snapshot);
      if (asset.isEmpty()) {
        return false;
      }
      Optional<Component> component = asset.get().component();
      asset.get().delete();
      component.map(content.components()::with)
          .filter(remaining -> remaining.assets(false).isEmpty())
          .ifPresent(FluentComponent::delete);
      return true;
    });
  }

  /** The SHA-256 of a stored tarball, to tell an identical redeploy from a different one. */
  static Optional<HashCode> sha256(final FluentAsset asset) {
    return asset.blob()
        .map(blob -> blob.checksums().get(SHA256.name()))
        .map(HashCode::fromString);
  }

  private static List<ChannelSnapshot> parse(final List<String> tarballPaths) {
    List<ChannelSnapshot> snapshots = new ArrayList<>(tarballPaths.size());
    for (String path : tarballPaths) {
      ChannelSnapshot.fromTarballPath(path).ifPresent(snapshots::add);
    }
    return snapshots;
  }
}
