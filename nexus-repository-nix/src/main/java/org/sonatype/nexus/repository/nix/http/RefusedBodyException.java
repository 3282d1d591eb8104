package org.sonatype.nexus.repository.nix.http;

import java.io.IOException;
import java.util.Optional;

import javax.annotation.Nullable;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A body (a request's, or an upstream's) that was received but refused while it was being read (it does not decode,
 * or decodes to too much). It is an {@link IOException} so that it can leave the stream it is thrown from, through
 * whatever reads that stream (a blob store, which may wrap it); {@link #refusalIn} finds it again and turns it back
 * into its {@link #refusal()}.
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

  /** The refusal a {@link RefusedBodyException} in {@code e}'s cause chain carries, if there is one. */
  public static Optional<NixRequestException> refusalIn(final Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RefusedBodyException) {
        return Optional.of(((RefusedBodyException) t).refusal());
      }
    }
    return Optional.empty();
  }
}
