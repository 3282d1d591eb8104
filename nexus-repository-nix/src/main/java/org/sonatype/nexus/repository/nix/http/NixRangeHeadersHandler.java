package org.sonatype.nexus.repository.nix.http;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.Response;

/**
 * Advertises {@code Accept-Ranges: bytes} on files of known size. Nix resumes a broken NAR download with
 * {@code Range} only when the first response said so; the range itself is served by Nexus's partial-fetch handler.
 */
@Named
@Singleton
public class NixRangeHeadersHandler
    implements Handler
{
  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    Response response = context.proceed();
    int status = response.getStatus().getCode();
    Payload payload = response.getPayload();
    if ((status == 200 || status == 206) && payload != null && payload.getSize() != Payload.UNKNOWN_SIZE) {
      response.getHeaders().set("Accept-Ranges", "bytes");
    }
    return response;
  }
}
