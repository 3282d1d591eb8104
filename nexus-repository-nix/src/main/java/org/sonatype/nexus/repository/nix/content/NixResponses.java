package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.Status;
import org.sonatype.nexus.repository.view.payloads.StringPayload;

import com.google.common.net.HttpHeaders;

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

  /** The answer a refusal carries: its status and message, and its {@code Retry-After} if it has one. */
  public static Response failure(final NixRequestException refusal) {
    Response response = failure(refusal.status(), refusal.getMessage());
    if (refusal.retryAfterSeconds() > 0) {
      response.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(refusal.retryAfterSeconds()));
    }
    return response;
  }

  public static Response notFound(final String message) {
    return failure(404, message);
  }
}
