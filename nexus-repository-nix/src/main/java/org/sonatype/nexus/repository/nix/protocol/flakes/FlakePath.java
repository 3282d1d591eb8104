package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.util.Optional;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;

/**
 * The request paths of private flakes, relative to the repository root and with the leading "/":
 *
 * <pre>
 * /flake-registry.json                 {@link Kind#REGISTRY}: the flake registry (version 2)
 * /flakes/N.EXT                        {@link Kind#LATEST}: the newest version of flake N (a redirect)
 * /flakes/N/V.EXT                      {@link Kind#RELEASE}: version V's source tarball
 * </pre>
 *
 * where EXT is {@code tar.gz}, {@code tar.xz} or {@code tar.zst}. The latest URL ends in a tarball extension
 * because Nix 2.8 takes nothing else for a tarball flake; it redirects to the newest version whatever that
 * version's own extension. Query strings are not part of the path: Nix 2.8 sends {@code ?narHash=...} with
 * tarball requests and it is ignored.
 */
public final class FlakePath
{
  public enum Kind
  {
    REGISTRY,
    LATEST,
    RELEASE
  }

  public static final String REGISTRY_PATH = "/flake-registry.json";

  private static final String GRAMMAR = "flakes/<name>/<version>{" + FlakeArchive.describeAll()
      + "} (one version) or flakes/<name>.tar.gz (the newest version)";

  private final Kind kind;

  private final String name;

  private final FlakeRelease release;

  private FlakePath(final Kind kind, final String name, final FlakeRelease release) {
    this.kind = kind;
    this.name = name;
    this.release = release;
  }

  /** True for the registry and everything under {@code /flakes/}. */
  public static boolean isFlakePath(final String path) {
    return path.equals(REGISTRY_PATH) || path.startsWith(FlakeRelease.ROOT);
  }

  /**
   * @param path a request path for which {@link #isFlakePath} holds
   * @throws NixFormatException naming what is wrong, if the path is none of the forms above or a name is not valid
   */
  public static FlakePath parse(final String path) {
    if (path.equals(REGISTRY_PATH)) {
      return new FlakePath(Kind.REGISTRY, null, null);
    }
    if (!path.startsWith(FlakeRelease.ROOT)) {
      throw new NixFormatException(ChannelNames.quote(path) + " is not under flakes/");
    }
    String rest = path.substring(FlakeRelease.ROOT.length());
    String[] segments = rest.split("/", -1);
    if (segments.length == 1) {
      Optional<FlakeArchive> archive = FlakeArchive.ofFileName(rest);
      if (archive.isEmpty()) {
        throw notAFlakePath(path);
      }
      String name = FlakeNames.checkName(rest.substring(0, rest.length() - archive.get().extension().length()));
      return new FlakePath(Kind.LATEST, name, null);
    }
    if (segments.length == 2) {
      Optional<FlakeArchive> archive = FlakeArchive.ofFileName(segments[1]);
      if (archive.isEmpty()) {
        throw notAFlakePath(path);
      }
      String version = segments[1].substring(0, segments[1].length() - archive.get().extension().length());
      FlakeRelease release = FlakeRelease.of(segments[0], version, archive.get());
      return new FlakePath(Kind.RELEASE, release.name(), release);
    }
    throw notAFlakePath(path);
  }

  private static NixFormatException notAFlakePath(final String path) {
    return new NixFormatException(ChannelNames.quote(path.substring(1)) + " is not a flake path: paths are "
        + GRAMMAR);
  }

  public Kind kind() {
    return kind;
  }

  /** The flake's name, for {@link Kind#LATEST} and {@link Kind#RELEASE}. */
  public String name() {
    return name;
  }

  /** The release, for {@link Kind#RELEASE}. */
  public FlakeRelease release() {
    return release;
  }
}
