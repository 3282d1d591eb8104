package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A narinfo as a repository holds it: the asset and the narinfo read back from its attributes.
 */
public final class StoredNarInfo
{
  private final FluentAsset asset;

  private final NarInfo narInfo;

  public StoredNarInfo(final FluentAsset asset, final NarInfo narInfo) {
    this.asset = checkNotNull(asset);
    this.narInfo = checkNotNull(narInfo);
  }

  public FluentAsset asset() {
    return asset;
  }

  public NarInfo narInfo() {
    return narInfo;
  }
}
