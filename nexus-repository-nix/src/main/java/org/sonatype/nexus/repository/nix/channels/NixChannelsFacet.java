package org.sonatype.nexus.repository.nix.channels;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;

/**
 * The Nix channels a repository serves: for each channel, a moving pointer to its latest snapshot and the immutable
 * snapshots themselves. Hosted repositories keep deployed snapshots, proxies follow an upstream such as
 * channels.nixos.org, groups ask their members. {@link NixChannelsHandler} turns this into what nix-channel and
 * fetchTarball request, the same way for every type.
 *
 * "Not here" is an empty answer. An answer that could not be given (an upstream that is down) is a
 * {@link org.sonatype.nexus.repository.nix.http.NixRequestException} with a 5xx status: never an empty answer,
 * because Nix remembers a 404.
 */
@Facet.Exposed
public interface NixChannelsFacet
    extends Facet
{
  /** The channels this repository serves, most recently published first. */
  List<String> channels() throws IOException;

  /**
   * The snapshots of a channel, most recently published first, so the first is the latest; empty for an unknown
   * channel.
   *
   * @param flavor only snapshots of this flavor, or null for all
   */
  List<ChannelSnapshot> snapshots(String channel, @Nullable ChannelFlavor flavor) throws IOException;

  /** Where the channel (of one flavor, if given) points now. */
  Optional<ChannelSnapshot> latest(String channel, @Nullable ChannelFlavor flavor) throws IOException;

  /** Whether the repository serves this snapshot (its tarball may still have to be fetched). */
  boolean has(ChannelSnapshot snapshot) throws IOException;

  /** The snapshot's {@code nixexprs.tar.xz}. */
  Optional<Content> tarball(ChannelSnapshot snapshot) throws IOException;

  /**
   * Publishes a snapshot, which becomes the channel's latest. Snapshots are immutable: the same bytes again are
   * accepted and change nothing, other bytes only where the write policy allows redeploys.
   */
  WriteOutcome deploy(ChannelSnapshot snapshot, Payload tarball) throws IOException;

  /**
   * Deletes a snapshot; if it was the latest, the one published before it becomes the latest.
   *
   * @return false if there was no such snapshot
   */
  boolean delete(ChannelSnapshot snapshot) throws IOException;
}
