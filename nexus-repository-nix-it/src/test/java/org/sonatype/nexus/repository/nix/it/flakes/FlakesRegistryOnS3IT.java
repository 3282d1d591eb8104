package org.sonatype.nexus.repository.nix.it.flakes;

import org.sonatype.nexus.repository.nix.it.support.OnS3BlobStore;

/**
 * {@link FlakesRegistryIT} with the hosted, proxy and group repositories on an S3 blob store: published flakes and
 * the proxied registry are kept in S3.
 */
@OnS3BlobStore
class FlakesRegistryOnS3IT
    extends FlakesRegistryIT
{
}
