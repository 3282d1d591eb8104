package org.sonatype.nexus.repository.nix.it.hosted;

import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.OnS3BlobStore;

/**
 * {@link HostedPushAndSubstituteIT} with the hosted repository on an S3 blob store: the closure pushed with
 * {@code nix copy} (NARs, narinfos, listings) substitutes back from S3.
 */
@OnS3BlobStore
class HostedPushAndSubstituteOnS3IT
    extends HostedPushAndSubstituteIT
{
  /** One compression: the compressions differ in what Nix sends, not in how the blob store keeps it. */
  static Stream<String> compressions() {
    return Stream.of("zstd");
  }
}
