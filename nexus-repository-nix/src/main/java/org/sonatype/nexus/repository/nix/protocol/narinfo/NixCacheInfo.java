package org.sonatype.nexus.repository.nix.protocol.narinfo;

import java.util.Objects;
import java.util.Optional;
import org.sonatype.nexus.repository.nix.protocol.NixBase32;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.StorePath;

/**
 * The {@code /nix-cache-info} document every binary cache must serve.
 *
 * Parsing is as lenient as Nix's: values are trimmed, lines without a colon and unknown keys are ignored. A missing
 * {@code StoreDir} means the client skips its store directory check; a missing {@code WantMassQuery} means false;
 * a missing {@code Priority} means 0, which puts the cache ahead of everything else (cache.nixos.org is 40).
 */
public final class NixCacheInfo
{
  public static final String DEFAULT_STORE_DIR = "/nix/store";

  private final String storeDir;

  private final boolean wantMassQuery;

  private final int priority;

  private NixCacheInfo(final String storeDir, final boolean wantMassQuery, final int priority) {
    this.storeDir = storeDir;
    this.wantMassQuery = wantMassQuery;
    this.priority = priority;
  }

  public static NixCacheInfo of(final String storeDir, final boolean wantMassQuery, final int priority) {
    return new NixCacheInfo(StorePath.validateStoreDir(storeDir), wantMassQuery, priority);
  }

  /**
   * @throws NixFormatException only if {@code Priority} is present but not an integer
   */
  public static NixCacheInfo parse(final String text) {
    String storeDir = null;
    boolean wantMassQuery = false;
    int priority = 0;
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "StoreDir":
          storeDir = value;
          break;
        case "WantMassQuery":
          wantMassQuery = "1".equals(value);
          break;
        case "Priority":
          priority = parsePriority(value);
          break;
        default:
          // ignored, as Nix does
      }
    }
    return new NixCacheInfo(storeDir, wantMassQuery, priority);
  }

  private static int parsePriority(final String value) {
    try {
      return Integer.parseInt(value);
    }
    catch (NumberFormatException e) {
      throw new NixFormatException("Priority: '" + NixBase32.abbreviate(value) + "' is not an integer", e);
    }
  }

  public Optional<String> storeDir() {
    return Optional.ofNullable(storeDir);
  }

  public boolean wantMassQuery() {
    return wantMassQuery;
  }

  /**
   * Lower is tried first.
   */
  public int priority() {
    return priority;
  }

  /**
   * All three fields, always: an absent Priority would mean 0 to clients, which is rarely what a server intends.
   */
  public String toText() {
    StringBuilder out = new StringBuilder();
    if (storeDir != null) {
      out.append("StoreDir: ").append(storeDir).append('\n');
    }
    out.append("WantMassQuery: ").append(wantMassQuery ? 1 : 0).append('\n');
    out.append("Priority: ").append(priority).append('\n');
    return out.toString();
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NixCacheInfo)) {
      return false;
    }
    NixCacheInfo other = (NixCacheInfo) o;
    return wantMassQuery == other.wantMassQuery && priority == other.priority
        && Objects.equals(storeDir, other.storeDir);
  }

  @Override
  public int hashCode() {
    return Objects.hash(storeDir, wantMassQuery, priority);
  }

  @Override
  public String toString() {
    return "NixCacheInfo{storeDir=" + storeDir + ", wantMassQuery=" + wantMassQuery + ", priority=" + priority + "}";
  }
}
