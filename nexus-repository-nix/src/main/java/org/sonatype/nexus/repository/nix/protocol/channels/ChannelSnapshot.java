package org.sonatype.nexus.repository.nix.protocol.channels;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

import static java.util.Objects.requireNonNull;

/**
 * One immutable snapshot of a channel: {@code <channel>/<flavor>/<snapshot>}, served at
 * {@code channels/<channel>/<flavor>/<snapshot>} with its tarball at {@code .../nixexprs.tar.xz}. Names are always
 * valid ({@link ChannelNames}); paths are asset paths, with the leading "/".
 */
public final class ChannelSnapshot
{
  private static final Pattern TARBALL_PATH = Pattern.compile(
      "/channels/([^/]+)/([^/]+)/([^/]+)/" + Pattern.quote(ChannelNames.TARBALL));

  private final String channel;

  private final ChannelFlavor flavor;

  private final String name;

  private ChannelSnapshot(final String channel, final ChannelFlavor flavor, final String name) {
    this.channel = channel;
    this.flavor = flavor;
    this.name = name;
  }

  /**
   * @throws NixFormatException if the channel or snapshot name is not valid
   */
  public static ChannelSnapshot of(final String channel, final ChannelFlavor flavor, final String name) {
    return new ChannelSnapshot(ChannelNames.checkChannel(channel), requireNonNull(flavor, "flavor"),
        ChannelNames.checkSnapshot(name));
  }

  /**
   * The snapshot whose tarball is stored at {@code path}, if it is a tarball path with valid names.
   */
  public static Optional<ChannelSnapshot> fromTarballPath(final String path) {
    Matcher m = TARBALL_PATH.matcher(path);
    if (!m.matches() || !ChannelNames.isValidChannel(m.group(1)) || !ChannelFlavor.isFlavor(m.group(2))
        || !ChannelNames.isValidSnapshot(m.group(3))) {
      return Optional.empty();
    }
    return Optional.of(new ChannelSnapshot(m.group(1), ChannelFlavor.fromSegment(m.group(2)), m.group(3)));
  }

  /**
   * The snapshot an upstream channel points at, from the URL of its release directory (where the channel URL
   * redirects): the snapshot is named after the directory ({@code nixos-23.11.7870.205fd4226592}), the flavor is
   * read from the directory's path ({@link ChannelFlavor#ofReleasePath}).
   *
   * @throws NixFormatException if the directory's name is not a valid snapshot name
   */
  public static ChannelSnapshot ofRelease(final String channel, final URI releaseUrl) {
    String path = releaseUrl.getPath() == null ? "" : releaseUrl.getPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (!ChannelNames.isValidSnapshot(last)) {
      throw new NixFormatException("release " + ChannelNames.quote(releaseUrl.toString())
          + " cannot be served as a snapshot: its last path segment " + ChannelNames.quote(last)
          + " is not a valid snapshot name");
    }
    return of(channel, ChannelFlavor.ofReleasePath(path), last);
  }

  public String channel() {
    return channel;
  }

  public ChannelFlavor flavor() {
    return flavor;
  }

  public String name() {
    return name;
  }

  /** {@code /channels/<channel>/<flavor>/<snapshot>}: the snapshot "directory", without a trailing slash. */
  public String path() {
    return "/channels/" + channel + "/" + flavor.segment() + "/" + name;
  }

  /** {@code /channels/<channel>/<flavor>/<snapshot>/nixexprs.tar.xz}: the tarball's asset path. */
  public String tarballPath() {
    return path() + "/" + ChannelNames.TARBALL;
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ChannelSnapshot)) {
      return false;
    }
    ChannelSnapshot that = (ChannelSnapshot) o;
    return channel.equals(that.channel) && flavor == that.flavor && name.equals(that.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(channel, flavor, name);
  }

  /** {@code <channel>/<flavor>/<snapshot>} */
  @Override
  public String toString() {
    return channel + "/" + flavor.segment() + "/" + name;
  }
}
