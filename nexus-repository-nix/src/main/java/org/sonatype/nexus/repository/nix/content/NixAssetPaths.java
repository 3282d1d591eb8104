package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

/**
 * Asset paths of a store path's files. Nexus keeps asset paths with a leading "/", Nix requests them without.
 */
public final class NixAssetPaths
{
  private static final String NARINFO_SUFFIX = ".narinfo";

  private static final String LISTING_SUFFIX = ".ls";

  private NixAssetPaths() {
  }

  public static String narInfoPath(final String storeHash) {
    return "/" + storeHash + NARINFO_SUFFIX;
  }

  public static String listingPath(final String storeHash) {
    return "/" + storeHash + LISTING_SUFFIX;
  }

  /** The hash part named by a {@code /<hash>.narinfo} or {@code /<hash>.ls} path. */
  public static String storeHash(final String path) {
    return path.substring(1, path.lastIndexOf('.'));
  }

  public static String narInfoPathForListing(final String listingPath) {
    return narInfoPath(storeHash(listingPath));
  }

  /**
   * The asset path of the NAR a narinfo points at. Narinfos a repository stores always point into the
   * repository with a relative URL; any query string (harmonia's {@code ?hash=}) is not part of the file name.
   */
  public static String narPath(final NarInfo narInfo) {
    String url = narInfo.url();
    int query = url.indexOf('?');
    return "/" + (query < 0 ? url : url.substring(0, query));
  }
}
