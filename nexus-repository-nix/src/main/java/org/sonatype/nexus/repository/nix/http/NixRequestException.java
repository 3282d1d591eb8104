package org.sonatype.nexus.repository.nix.http;

import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A request Nix content rules refuse, with the HTTP status that says why and a message that says what was wrong.
 * Thrown before anything is stored: whoever throws it has changed nothing.
 */
public class NixRequestException
    extends RuntimeException
{
  private final int status;

  /** Seconds for the {@code Retry-After} header, or 0 for none. */
  private int retryAfterSeconds;

  public NixRequestException(final int status, final String message) {
    super(message);
    checkArgument(status >= 400 && status < 600, "not an error status: %s", status);
    this.status = status;
  }

  public NixRequestException(final int status, final String message, final Throwable cause) {
    this(status, message);
    initCause(cause);
  }

  public int status() {
    return status;
  }

  /** Seconds after which the client may try again ({@code Retry-After}), or 0 if the answer has none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static NixRequestException badRequest(final String message) {
    return new NixRequestException(400, message);
  }

  public static NixRequestException forbidden(final String message) {
    return new NixRequestException(403, message);
  }

  public static NixRequestException notFound(final String message) {
    return new NixRequestException(404, message);
  }

  public static NixRequestException methodNotAllowed(final String message) {
    return new NixRequestException(405, message);
  }

  public static NixRequestException conflict(final String message) {
    return new NixRequestException(409, message);
  }

  public static NixRequestException tooLarge(final String message) {
    return new NixRequestException(413, message);
  }

  public static NixRequestException badGateway(final String message) {
    return new NixRequestException(502, message);
  }

  public static NixRequestException gatewayTimeout(final String message) {
    return new NixRequestException(504, message);
  }

  /**
   * A 503 with a {@code Retry-After}: the server cannot take the request now (maintenance, overload), and says when
   * to try again. Nix 2.35 and later wait at least that long before their next attempt.
   */
  public static NixRequestException unavailable(final String message, final int retryAfterSeconds,
                                                final Throwable cause)
  {
    checkArgument(retryAfterSeconds > 0, "Retry-After must be positive: %s", retryAfterSeconds);
    NixRequestException e = new NixRequestException(503, message, cause);
    e.retryAfterSeconds = retryAfterSeconds;
    return e;
  }

  /**
   * The decoders of this server hold their shared memory: what was being checked may be fine, try again soon. Never
   * a refusal of the data.
   */
  public static NixRequestException busy(final DecoderMemoryException e) {
    return unavailable(e.getMessage(), ServiceUnavailability.BUSY_RETRY_SECONDS, e);
  }
}
