package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.Status;
import org.sonatype.nexus.repository.view.payloads.StringPayload;

/**
 * Failure responses whose message is the body, as plain text, rather than an HTML error page: the clients of a
 * binary cache are {@code nix}, {@code curl} and scripts, and the message is what tells them what was wrong.
 */
public final class NixResponses
{
  private NixResponses() {
  }

  public static Response failure(final int status, final String message) {
    return new Response.Builder()
        .status(Status.failure(status, message))
        .payload(new StringPayload(message + "\n", "text/plain; charset=utf-8"))
        .build();
  }

  public static Response notFound(final String message) {
    return failure(404, message);
  }
}
