package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.net.URLEncoder;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sonatype.nexus.repository.nix.protocol.NixHash;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * One published version of a private flake: its source tarball, stored and served at
 * {@code flakes/<name>/<version><extension>}. Names and versions are always valid ({@link FlakeNames}); paths are
 * asset paths, with the leading "/".
 */
public final class FlakeRelease
{
  public static final String ROOT = "/flakes/";

  private static final Pattern TARBALL_PATH = Pattern.compile("/flakes/([^/]+)/([^/]+)");

  private final String name;

  private final String version;

  private final FlakeArchive archive;

  private FlakeRelease(final String name, final String version, final FlakeArchive archive) {
    this.name = name;
    this.version = version;
    this.archive = archive;
  }

  /**
   * @throws NixFormatException if the name or version is not valid
   */
  public static FlakeRelease of(final String name, final String version, final FlakeArchive archive) {
    return new FlakeRelease(FlakeNames.checkName(name), FlakeNames.checkVersion(version),
        requireNonNull(archive, "archive"));
  }

  /** The release whose tarball is stored at {@code path}, if it is a tarball path with a valid name and version. */
  public static Optional<FlakeRelease> fromTarballPath(final String path) {
    Matcher m = TARBALL_PATH.matcher(path);
    if (!m.matches() || !FlakeNames.isValidName(m.group(1))) {
      return Optional.empty();
    }
    String file = m.group(2);
    return FlakeArchive.ofFileName(file)
        .map(archive -> new FlakeRelease(m.group(1), file.substring(0, file.length() - archive.extension().length()),
            archive))
        .filter(release -> FlakeNames.isValidVersion(release.version));
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public FlakeArchive archive() {
    return archive;
  }

  /** {@code /flakes/<name>/<version><extension>} */
  public String tarballPath() {
    return directory(name) + version + archive.extension();
  }

  /**
   * The URL Nix locks for this release: the tarball's own URL with {@code ?narHash=<SRI>} (percent-encoded), which
   * Nix 2.8 keeps in lock files as given and newer Nix reads as the input's NAR hash, and {@code &lastModified=<n>},
   * which Nix &ge; 2.17 records from a {@code Link: <...>; rel="immutable"} header. Both are part of the URL only:
   * the server ignores query strings.
   *
   * @param repositoryUrl the URL of the repository serving it, without a trailing slash
   * @param lastModified  seconds since the epoch; 0 (unknown) leaves the parameter out, as Nix itself does
   */
  public String immutableUrl(final String repositoryUrl, final NixHash narHash, final long lastModified) {
    String url = repositoryUrl + tarballPath() + "?narHash=" + URLEncoder.encode(narHash.toSri(), UTF_8);
    return lastModified > 0 ? url + "&lastModified=" + lastModified : url;
  }

  /** {@code /flakes/<name>/}: where all versions of a flake are stored. */
  public static String directory(final String name) {
    return ROOT + name + "/";
  }

  /** The same version in another format: a version has one tarball, whatever its extension. */
  public boolean sameVersion(final FlakeRelease other) {
    return name.equals(other.name) && version.equals(other.version);
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FlakeRelease)) {
      return false;
    }
    FlakeRelease other = (FlakeRelease) o;
    return name.equals(other.name) && version.equals(other.version) && archive == other.archive;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, archive);
  }

  /** {@code <name> <version>}, as messages name it. */
  @Override
  public String toString() {
    return name + " " + version;
  }
}
