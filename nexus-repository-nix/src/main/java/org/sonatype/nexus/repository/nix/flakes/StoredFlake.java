package org.sonatype.nexus.repository.nix.flakes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeSource;

/**
 * A published flake version with what Nix needs to lock it, measured once when it was published and kept as the
 * {@code nix} attributes of its tarball asset: {@code narHash} (SRI, as lock files write it) and
 * {@code lastModified}.
 */
public final class StoredFlake
{
  static final String NAME = "name";

  static final String VERSION = "version";

  static final String NAR_HASH = "narHash";

  static final String LAST_MODIFIED = "lastModified";

  static final String TOP_LEVEL_DIRECTORY = "topLevelDirectory";

  private final FlakeRelease release;

  private final NixHash narHash;

  private final long lastModified;

  StoredFlake(final FlakeRelease release, final NixHash narHash, final long lastModified) {
    this.release = release;
    this.narHash = narHash;
    this.lastModified = lastModified;
  }

  public FlakeRelease release() {
    return release;
  }

  public NixHash narHash() {
    return narHash;
  }

  public long lastModified() {
    return lastModified;
  }

  /** The URL Nix locks: see {@link FlakeRelease#immutableUrl}. */
  public String immutableUrl(final String repositoryUrl) {
    return release.immutableUrl(repositoryUrl, narHash, lastModified);
  }

  static Map<String, Object> toAttributes(final FlakeRelease release, final FlakeSource source) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put(NAME, release.name());
    attributes.put(VERSION, release.version());
    attributes.put(NAR_HASH, source.narHash().toSri());
    attributes.put(LAST_MODIFIED, source.lastModified());
    attributes.put(TOP_LEVEL_DIRECTORY, source.topLevelDirectory());
    return attributes;
  }

  /** Reads a stored version back; empty if its attributes are not what {@link #toAttributes} wrote. */
  static Optional<StoredFlake> fromAttributes(final FlakeRelease release, final Map<String, Object> attributes) {
    Object narHash = attributes.get(NAR_HASH);
    Object lastModified = attributes.get(LAST_MODIFIED);
    if (!(narHash instanceof String)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new StoredFlake(release, NixHash.parse((String) narHash),
          lastModified instanceof Number ? ((Number) lastModified).longValue() : 0));
    }
    catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
