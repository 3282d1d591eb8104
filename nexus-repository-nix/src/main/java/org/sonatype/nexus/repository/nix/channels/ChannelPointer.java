package org.sonatype.nexus.repository.nix.channels;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;

/**
 * What a proxy knows about an upstream channel: the releases it pointed at, newest first. The first is where the
 * channel points now; the others are kept so snapshots clients pinned (or have not fetched yet) can still be
 * served after the channel moved on. Kept as the {@code nix} attributes of the channel's pointer asset.
 */
final class ChannelPointer
{
  /** Releases remembered per channel; older ones are forgotten unless their tarball was fetched. */
  static final int HISTORY = 20;

  private static final String CHANNEL = "channel";

  private static final String RELEASES = "releases";

  private static final String SNAPSHOT = "snapshot";

  private static final String FLAVOR = "flavor";

  private static final String URL = "releaseUrl";

  private static final String RESOLVED = "resolved";

  /** One upstream release: the snapshot it is served as, its immutable upstream directory, when it was seen. */
  static final class Release
  {
    private final ChannelSnapshot snapshot;

    private final URI url;

    private final Instant resolved;

    Release(final ChannelSnapshot snapshot, final URI url, final Instant resolved) {
      this.snapshot = snapshot;
      this.url = url;
      this.resolved = resolved;
    }

    ChannelSnapshot snapshot() {
      return snapshot;
    }

    /** The upstream release directory, e.g. {@code https://releases.nixos.org/nixos/24.11/nixos-24.11.1.abc}. */
    URI url() {
      return url;
    }

    /** {@code <release directory>/nixexprs.tar.xz} */
    URI tarballUrl() {
      String base = url.toString();
      return URI.create((base.endsWith("/") ? base : base + "/") + "nixexprs.tar.xz");
    }

    Instant resolved() {
      return resolved;
    }
  }

  private final String channel;

  private final List<Release> releases;

  private ChannelPointer(final String channel, final List<Release> releases) {
    this.channel = channel;
    this.releases = List.copyOf(releases);
  }

  static ChannelPointer first(final Release release) {
    return new ChannelPointer(release.snapshot().channel(), List.of(release));
  }

  String channel() {
    return channel;
  }

  /** Where the channel points now. */
  Release current() {
    return releases.get(0);
  }

  /** Every remembered release, newest first. */
  List<Release> releases() {
    return releases;
  }

  Optional<Release> find(final ChannelSnapshot snapshot) {
    return releases.stream().filter(release -> release.snapshot().equals(snapshot)).findFirst();
  }

  /**
   * The pointer after the upstream was asked again: the release it answered becomes current (moving to the front
   * if it was seen before), the oldest are forgotten beyond {@link #HISTORY}.
   */
  ChannelPointer resolvedTo(final Release release) {
    List<Release> updated = new ArrayList<>();
    updated.add(release);
    for (Release known : releases) {
      if (!known.snapshot().equals(release.snapshot()) && updated.size() < HISTORY) {
        updated.add(known);
      }
    }
    return new ChannelPointer(channel, updated);
  }

  Map<String, Object> toAttributes() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Release release : releases) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put(SNAPSHOT, release.snapshot().name());
      entry.put(FLAVOR, release.snapshot().flavor().segment());
      entry.put(URL, release.url().toString());
      entry.put(RESOLVED, release.resolved().toString());
      list.add(entry);
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put(CHANNEL, channel);
    attributes.put(RELEASES, list);
    return attributes;
  }

  /**
   * Reads the pointer back from the asset's {@code nix} attributes; entries that no longer parse are skipped.
   */
  static Optional<ChannelPointer> fromAttributes(final Map<String, Object> attributes) {
    Object channel = attributes.get(CHANNEL);
    Object list = attributes.get(RELEASES);
    if (!(channel instanceof String) || !(list instanceof List)) {
      return Optional.empty();
    }
    List<Release> releases = new ArrayList<>();
    for (Object item : (List<?>) list) {
      if (!(item instanceof Map)) {
        continue;
      }
      Map<?, ?> entry = (Map<?, ?>) item;
      try {
        ChannelSnapshot snapshot = ChannelSnapshot.of((String) channel,
            ChannelFlavor.fromSegment(String.valueOf(entry.get(FLAVOR))), String.valueOf(entry.get(SNAPSHOT)));
        releases.add(new Release(snapshot, URI.create(String.valueOf(entry.get(URL))),
            Instant.parse(String.valueOf(entry.get(RESOLVED)))));
      }
      catch (RuntimeException e) {
        // written by an older version or edited by hand: forget it rather than fail every request
      }
    }
    return releases.isEmpty() ? Optional.empty() : Optional.of(new ChannelPointer((String) channel, releases));
  }
}
