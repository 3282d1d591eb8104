package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;

/**
 * An upstream URL a proxy did not fetch, or a redirect it did not follow, and why: the client's 502 says so. An
 * {@link IOException}, so a proxy with a cached copy serves that instead, as for any other upstream failure.
 */
public class RefusedUpstreamUrlException
    extends IOException
{
  public RefusedUpstreamUrlException(final String message) {
    super(message);
  }
}
