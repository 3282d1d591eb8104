package org.sonatype.nexus.repository.nix.it.hosted;

import org.sonatype.nexus.repository.nix.it.support.OnS3BlobStore;

/**
 * {@link HostedLargeNarIT} on an S3 blob store, with a 384 MiB NAR: far more than one part of an S3 upload, so Nexus's
 * S3 blob store sends it to the bucket in parts and reads it back whole.
 */
@OnS3BlobStore
class HostedLargeNarOnS3IT
    extends HostedLargeNarIT
{
  @Override
  long narBytes() {
    return 384L * 1024 * 1024;
  }
}
