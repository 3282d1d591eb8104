package org.sonatype.nexus.repository.nix.protocol;

import java.io.IOException;

/**
 * Compressed data that cannot be decoded: corrupt, truncated, empty, or followed by trailing bytes. Distinct from
 * an {@link IOException} of the underlying stream (a broken connection, a timeout), which is passed through
 * unchanged, so callers can tell a bad upload (the client's fault) from a failed read.
 */
public class CorruptDataException
    extends IOException
{
  private static final long serialVersionUID = 1L;

  public CorruptDataException(final String message) {
    super(message);
  }

  public CorruptDataException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
