package org.sonatype.nexus.repository.nix.it.proxy;

import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.OnS3BlobStore;

/**
 * {@link ProxySubstituteIT} with the proxy on an S3 blob store: the closure substitutes cold, the warm substitution
 * asks the upstream nothing (every NAR was cached in S3), and with the upstream down the cached closure still
 * substitutes.
 */
@OnS3BlobStore
class ProxySubstituteOnS3IT
    extends ProxySubstituteIT
{
  /** One layout: the layouts differ in what the proxy fetches, not in how it stores what it fetched. */
  static Stream<UpstreamLayout> upstreamLayouts() {
    return Stream.of(UpstreamLayout.RELATIVE_ZSTD_NARS);
  }
}
