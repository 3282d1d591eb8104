package org.sonatype.nexus.repository.nix.content;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Response;

/**
 * Turns refused requests into the status and message they carry: malformed Nix metadata is a 400 naming
 * what was wrong, a rule violation is whatever {@link NixRequestException} says.
 */
@Named
@Singleton
public class NixErrorHandler
    extends ComponentSupport
    implements Handler
{
  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    try {
      return context.proceed();
    }
    catch (NixRequestException e) {
      log.info("Refused {} {} in {}: {} {}", context.getRequest().getAction(), context.getRequest().getPath(),
          context.getRepository().getName(), e.status(), e.getMessage());
      return NixResponses.failure(e.status(), e.getMessage());
    }
    catch (NixFormatException e) {
      log.info("Refused {} {} in {}: malformed: {}", context.getRequest().getAction(), context.getRequest().getPath(),
          context.getRepository().getName(), e.getMessage());
      return NixResponses.failure(400, e.getMessage());
    }
  }
}
