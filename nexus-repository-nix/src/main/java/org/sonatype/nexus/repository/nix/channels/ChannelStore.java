package org.sonatype.nexus.repository.nix.channels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.ComponentFiles;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

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
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put(CHANNEL, snapshot.channel());
    attributes.put(FLAVOR, snapshot.flavor().segment());
    attributes.put(SNAPSHOT, snapshot.name());
    attributes.putAll(extra);
    return ComponentFiles.save(content, new ComponentFiles.Coordinates(NAMESPACE, snapshot.channel(), snapshot.name(),
        COMPONENT_KIND, snapshot.tarballPath(), TARBALL_KIND), tarball, attributes);
  }

  /**
   * Deletes a snapshot's tarball, and its component once no flavor of that snapshot is left.
   *
   * @return false if there was no such snapshot
   */
  boolean delete(final ChannelSnapshot snapshot) {
    return ComponentFiles.delete(content, snapshot.tarballPath());
  }

  private static List<ChannelSnapshot> parse(final List<String> tarballPaths) {
    List<ChannelSnapshot> snapshots = new ArrayList<>(tarballPaths.size());
    for (String path : tarballPaths) {
      ChannelSnapshot.fromTarballPath(path).ifPresent(snapshots::add);
    }
    return snapshots;
  }
}
