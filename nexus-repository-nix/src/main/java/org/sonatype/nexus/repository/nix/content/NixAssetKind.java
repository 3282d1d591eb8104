package org.sonatype.nexus.repository.nix.content;

import java.util.Optional;
import java.util.regex.Pattern;

import org.sonatype.nexus.repository.cache.CacheControllerHolder.CacheType;
import org.sonatype.nexus.repository.nix.protocol.NixPaths;

import static org.sonatype.nexus.repository.cache.CacheControllerHolder.CONTENT;
import static org.sonatype.nexus.repository.cache.CacheControllerHolder.METADATA;

/**
 * The kinds of binary-cache files a Nix repository holds, with the request paths that name them
 * and the content types Nix itself uses for them. The kind is stored in the asset's {@code kind} column.
 */
public enum NixAssetKind
{
  NARINFO("narinfo", NixPaths.NARINFO, "text/x-nix-narinfo", METADATA),
  NAR("nar", NixPaths.NAR, "application/x-nix-nar", CONTENT),
  LISTING("listing", NixPaths.LISTING, "application/json", METADATA),
  LOG("log", NixPaths.LOG, "text/plain; charset=utf-8", CONTENT),
  REALISATION("realisation", NixPaths.REALISATION, "application/json", METADATA),
  BUILD_TRACE("build-trace", NixPaths.BUILD_TRACE, "application/json", METADATA),
  DEBUGINFO("debuginfo", NixPaths.DEBUGINFO, "application/json", METADATA);

  private final String kind;

  private final Pattern pathPattern;

  private final String contentType;

  private final CacheType cacheType;

  NixAssetKind(final String kind, final Pattern pathPattern, final String contentType, final CacheType cacheType) {
    this.kind = kind;
    this.pathPattern = pathPattern;
    this.contentType = contentType;
    this.cacheType = cacheType;
  }

  /** The value of the asset's {@code kind} column. */
  public String kind() {
    return kind;
  }

  public String contentType() {
    return contentType;
  }

  /** Whether a proxy treats the file as metadata (refreshed per metadata max age) or content. */
  public CacheType cacheType() {
    return cacheType;
  }

  /** Files Nix uploads as JSON; their bodies must parse as JSON. */
  public boolean isJson() {
    return "application/json".equals(contentType);
  }

  public static Optional<NixAssetKind> forPath(final String path) {
    for (NixAssetKind kind : values()) {
      if (kind.pathPattern.matcher(path).matches()) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  public static Optional<NixAssetKind> forKind(final String kind) {
    for (NixAssetKind value : values()) {
      if (value.kind.equals(kind)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
