package org.sonatype.nexus.repository.nix.http;

import java.io.IOException;

import javax.annotation.Nullable;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A request body that was received but refused while it was being read (it does not decode, or decodes to too
 * much). It is an {@link IOException} so that it can leave the stream it is thrown from, through whatever reads that
 * stream (a blob store); {@link UploadBodies} turns it back into its {@link #refusal()}, where a failure to receive
 * the body is a 400 "did not complete".
 */
public class RefusedBodyException
    extends IOException
{
  private final NixRequestException refusal;

  public RefusedBodyException(final NixRequestException refusal, @Nullable final Throwable cause) {
    super(refusal.getMessage(), cause);
    this.refusal = checkNotNull(refusal);
  }

  /** What to answer: the status and message. */
  public NixRequestException refusal() {
    return refusal;
  }
}
