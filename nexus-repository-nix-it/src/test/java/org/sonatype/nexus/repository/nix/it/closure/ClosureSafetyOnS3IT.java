package org.sonatype.nexus.repository.nix.it.closure;

import org.sonatype.nexus.repository.nix.it.support.OnS3BlobStore;

/**
 * {@link ClosureSafetyIT} on an S3 blob store: cleanup, deletes, pins and the integrity task (a NAR's bytes deleted
 * from the bucket behind Nexus's back, then repaired).
 */
@OnS3BlobStore
class ClosureSafetyOnS3IT
    extends ClosureSafetyIT
{
}
