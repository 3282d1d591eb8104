package org.sonatype.nexus.repository.nix.protocol.compression;

import java.io.IOException;

/**
 * A decoder could not get its memory in time because other decoders hold the budget they share
 * ({@link DecoderMemory}): the server is busy, the data may be fine. Never a reason to refuse, mark broken or delete
 * what was being decoded; a 503 the client can retry.
 */
public final class DecoderMemoryException
    extends IOException
{
  public DecoderMemoryException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
