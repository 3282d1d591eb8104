package org.sonatype.nexus.repository.nix.it.group;

import org.sonatype.nexus.repository.nix.it.support.OnS3BlobStore;

/** {@link GroupSubstituteIT} with the group and its hosted and proxy members on an S3 blob store. */
@OnS3BlobStore
class GroupSubstituteOnS3IT
    extends GroupSubstituteIT
{
}
