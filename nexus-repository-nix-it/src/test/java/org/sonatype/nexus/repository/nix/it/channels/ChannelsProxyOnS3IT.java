package org.sonatype.nexus.repository.nix.it.channels;

import org.sonatype.nexus.repository.nix.it.support.OnS3BlobStore;

/** {@link ChannelsProxyIT} with the proxy on an S3 blob store: channel tarballs and pointers are cached in S3. */
@OnS3BlobStore
class ChannelsProxyOnS3IT
    extends ChannelsProxyIT
{
}
