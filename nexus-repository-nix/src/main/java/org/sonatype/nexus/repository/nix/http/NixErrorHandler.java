package org.sonatype.nexus.repository.nix.http;

import java.io.IOException;
import java.io.InputStream;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.Response;

import com.google.common.io.ByteStreams;

/**
 * Turns refused requests into the status and message they carry: malformed Nix metadata is a 400 naming
 * what was wrong, a rule violation is whatever {@link NixRequestException} says, and a failure that is the server's
 * state (read-only mode, a busy database, decoders out of their shared memory: a 503 with a {@code Retry-After}; a
 * full blob store: a 507; see {@link ServiceUnavailability}) instead of a 500. Anything else goes on to Nexus's own
 * handling.
 */
@Named
@Singleton
public class NixErrorHandler
    extends ComponentSupport
    implements Handler
{
  /** Beyond this, closing the connection is cheaper than reading a refused upload to its end. */
  private static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;

  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    try {
      return context.proceed();
    }
    catch (NixRequestException e) {
      log.info("Refused {} {} in {}: {} {}", context.getRequest().getAction(), context.getRequest().getPath(),
          context.getRepository().getName(), e.status(), e.getMessage());
      drainUnreadBody(context);
      return NixResponses.failure(e);
    }
    catch (NixFormatException e) {
      log.info("Refused {} {} in {}: malformed: {}", context.getRequest().getAction(), context.getRequest().getPath(),
          context.getRepository().getName(), e.getMessage());
      drainUnreadBody(context);
      return NixResponses.failure(400, e.getMessage());
    }
    catch (Exception e) {
      NixRequestException unavailable = ServiceUnavailability.of(e).orElseThrow(() -> e);
      log.warn("Unavailable for {} {} in {}: {} {}", context.getRequest().getAction(), context.getRequest().getPath(),
          context.getRepository().getName(), unavailable.status(), unavailable.getMessage(),
          log.isDebugEnabled() ? e : null);
      drainUnreadBody(context);
      return NixResponses.failure(unavailable);
    }
  }

  /**
   * Reads what is left of a refused upload's body (up to a limit) before answering: a client that sends its body
   * without waiting for {@code 100 Continue} (curl, scripts; Nix waits) otherwise has its connection reset while it
   * is still writing, and never sees the message that says what was wrong.
   */
  private void drainUnreadBody(final Context context) {
    Payload payload = context.getRequest().getPayload();
    if (payload == null) {
      return;
    }
    try (InputStream in = payload.openInputStream()) {
      ByteStreams.exhaust(ByteStreams.limit(in, MAX_DRAINED_BYTES));
    }
    catch (IOException | RuntimeException e) {
      log.debug("Could not drain the refused request's body", e);
    }
  }
}
