package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.OptionalInt;

import org.sonatype.nexus.repository.httpclient.RemoteBlockedIOException;
import org.sonatype.nexus.repository.nix.http.NixRequestException;

import static org.sonatype.nexus.repository.nix.http.NixRequestException.gatewayTimeout;

/**
 * What a proxy answers when it could not ask its upstream for something it has not cached: never a 404, which Nix
 * would remember, except when an administrator blocked the remote.
 */
public final class UpstreamFailures
{
  private UpstreamFailures() {
  }

  /**
   * @param what what could not be done, e.g. "cannot fetch https://..."
   * @return 404 if the remote is blocked by configuration (offline mode: only what is cached exists), 503 if it is
   * auto-blocked (with a Retry-After: the seconds until the block runs out), 504 if it did not answer in time, 502 otherwise (saying why, when this proxy refused an upstream
   * URL)
   */
  public static NixRequestException of(final NixUpstreamGateFacet gate, final String what, final IOException e) {
    if (e instanceof RemoteBlockedIOException) {
      if (gate.blockedByConfiguration()) {
        // an administrator's decision (offline mode), not a failure: only what is cached exists here
        return NixRequestException.notFound(what + ": not cached, and this proxy's remote is blocked by "
            + "configuration (offline mode)");
      }
      // auto-blocked: a client may try again once the block runs out, when this proxy asks its remote again
      String message = what + ": not asked, " + e.getMessage();
      OptionalInt seconds = gate.secondsAutoBlocked();
      return seconds.isPresent()
          ? NixRequestException.unavailable(message, seconds.getAsInt(), e)
          : new NixRequestException(503, message, e);
    }
    if (e instanceof RefusedUpstreamUrlException) {
      return NixRequestException.badGateway(what + ": " + e.getMessage());
    }
    if (e instanceof InterruptedIOException) {
      return gatewayTimeout(what + ": the upstream did not answer in time (" + e.getMessage() + ")");
    }
    return new NixRequestException(502, what + ": the upstream fetch failed (" + e + ")", e);
  }
}
