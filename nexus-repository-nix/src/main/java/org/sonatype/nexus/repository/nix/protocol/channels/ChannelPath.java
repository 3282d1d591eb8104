package org.sonatype.nexus.repository.nix.protocol.channels;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.annotation.Nullable;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

/**
 * The request paths under {@code channels/}, relative to the repository root and with the leading "/":
 *
 * <pre>
 * /channels/                               {@link Kind#CHANNELS}: list of channels
 * /channels/C[/F]                          {@link Kind#CHANNEL}: latest snapshot (a redirect)
 * /channels/C[/F]/                         {@link Kind#CHANNEL_LISTING}: list of snapshots
 * /channels/C[/F]/nixexprs.tar.xz          {@link Kind#CHANNEL_TARBALL}: latest tarball (a redirect)
 * /channels/C/F/S[/]                       {@link Kind#SNAPSHOT}: one snapshot
 * /channels/C/F/S/nixexprs.tar.xz          {@link Kind#SNAPSHOT_TARBALL}: its tarball
 * </pre>
 *
 * for channel C, flavor F ({@code nixpkgs} or {@code nixos}) and snapshot S. Empty segments ({@code //}, which
 * nix-channel sends when a redirect target ends in "/") are ignored; whether the path ended in "/" is kept, since
 * it tells a channel's redirect from its listing. Query strings are not part of the path: Nix puts
 * {@code ?narHash=...} on tarball URLs and a server must ignore it.
 */
public final class ChannelPath
{
  public enum Kind
  {
    CHANNELS,
    CHANNEL,
    CHANNEL_LISTING,
    CHANNEL_TARBALL,
    SNAPSHOT,
    SNAPSHOT_TARBALL
  }

  public static final String ROOT = "/channels";

  private static final String GRAMMAR =
      "channels/<channel>[/<nixpkgs|nixos>[/<snapshot>[/" + ChannelNames.TARBALL + "]]]";

  private final Kind kind;

  private final String channel;

  private final ChannelFlavor flavor;

  private final ChannelSnapshot snapshot;

  private ChannelPath(
      final Kind kind,
      @Nullable final String channel,
      @Nullable final ChannelFlavor flavor,
      @Nullable final ChannelSnapshot snapshot)
  {
    this.kind = kind;
    this.channel = channel;
    this.flavor = flavor;
    this.snapshot = snapshot;
  }

  /** True for {@code /channels} and everything under it, {@code //} included. */
  public static boolean isChannelPath(final String path) {
    String normalized = collapseSlashes(path);
    return normalized.equals(ROOT) || normalized.startsWith(ROOT + "/");
  }

  /**
   * @param path a request path for which {@link #isChannelPath} holds
   * @throws NixFormatException naming what is wrong, if the path is none of the forms above or a name is not valid
   */
  public static ChannelPath parse(final String path) {
    String normalized = collapseSlashes(path);
    if (!isChannelPath(normalized)) {
      throw new NixFormatException(ChannelNames.quote(path) + " is not under channels/");
    }
    boolean directory = normalized.endsWith("/");
    String rest = normalized.substring(ROOT.length());
    List<String> segments = rest.isEmpty() || rest.equals("/")
        ? List.of()
        : Arrays.asList(rest.substring(1, directory ? rest.length() - 1 : rest.length()).split("/"));

    if (segments.isEmpty()) {
      return new ChannelPath(Kind.CHANNELS, null, null, null);
    }
    String channel = ChannelNames.checkChannel(segments.get(0));
    if (segments.size() == 1) {
      return new ChannelPath(directory ? Kind.CHANNEL_LISTING : Kind.CHANNEL, channel, null, null);
    }
    String second = segments.get(1);
    if (segments.size() == 2 && second.equals(ChannelNames.TARBALL) && !directory) {
      return new ChannelPath(Kind.CHANNEL_TARBALL, channel, null, null);
    }
    if (!ChannelFlavor.isFlavor(second)) {
      throw new NixFormatException(ChannelNames.quote(normalized.substring(1)) + " is not a channel path: "
          + ChannelNames.quote(second) + " is not a flavor (nixpkgs or nixos); paths are " + GRAMMAR);
    }
    ChannelFlavor flavor = ChannelFlavor.fromSegment(second);
    if (segments.size() == 2) {
      return new ChannelPath(directory ? Kind.CHANNEL_LISTING : Kind.CHANNEL, channel, flavor, null);
    }
    String third = segments.get(2);
    if (segments.size() == 3 && third.equals(ChannelNames.TARBALL) && !directory) {
      return new ChannelPath(Kind.CHANNEL_TARBALL, channel, flavor, null);
    }
    ChannelSnapshot snapshot = ChannelSnapshot.of(channel, flavor, third);
    if (segments.size() == 3) {
      return new ChannelPath(Kind.SNAPSHOT, channel, flavor, snapshot);
    }
    if (segments.size() == 4 && segments.get(3).equals(ChannelNames.TARBALL) && !directory) {
      return new ChannelPath(Kind.SNAPSHOT_TARBALL, channel, flavor, snapshot);
    }
    throw new NixFormatException(ChannelNames.quote(normalized.substring(1)) + " is not a channel path: a snapshot "
        + "holds only " + ChannelNames.TARBALL + "; paths are " + GRAMMAR);
  }

  public Kind kind() {
    return kind;
  }

  /** The channel, for every kind but {@link Kind#CHANNELS}. */
  public String channel() {
    return channel;
  }

  /** The flavor, if the path names one (always for snapshots). */
  public Optional<ChannelFlavor> flavor() {
    return Optional.ofNullable(flavor);
  }

  /** The snapshot, for {@link Kind#SNAPSHOT} and {@link Kind#SNAPSHOT_TARBALL}. */
  public ChannelSnapshot snapshot() {
    return snapshot;
  }

  private static String collapseSlashes(final String path) {
    return path.replaceAll("/{2,}", "/");
  }
}
