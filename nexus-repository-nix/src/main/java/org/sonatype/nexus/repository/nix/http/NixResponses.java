package org.sonatype.nexus.repository.nix.http;

import java.util.Optional;

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
  /**
   * Response attribute of an answer that stands for an upstream failure (what went wrong, without advice): a 5xx,
   * or the 404 {@code nix.whenUpstreamFails = notFound} makes of it. A group reads it off its members' answers.
   */
  private static final String UPSTREAM_FAILURE = "nix.upstreamFailure";

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

  /**
   * A 5xx for something the upstream could not provide, which Nix retries and does not remember.
   *
   * @param what what went wrong, e.g. "cannot serve x.narinfo: the upstream answered 500"
   */
  public static Response upstreamFailure(final int status, final String what) {
    return markedAsUpstreamFailure(failure(status, what + "; not cached here, try again later"), what);
  }

  /** {@link #upstreamFailure(int, String)} for a failure, with its {@code Retry-After} if it has one. */
  public static Response upstreamFailure(final NixRequestException failure) {
    Response response = upstreamFailure(failure.status(), failure.getMessage());
    if (failure.retryAfterSeconds() > 0) {
      response.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(failure.retryAfterSeconds()));
    }
    return response;
  }

  /**
   * The 404 that stands for an upstream failure when the repository is set to answer so: Nix builds the path itself
   * at once, and does not ask again for it for its negative-cache time to live.
   */
  public static Response upstreamFailureAsNotFound(final String what) {
    return markedAsUpstreamFailure(notFound(what + "; answering 404, as nix.whenUpstreamFails is notFound"), what);
  }

  /** What went wrong upstream, if {@code response} stands for an upstream failure. */
  public static Optional<String> upstreamFailure(final Response response) {
    return Optional.ofNullable(response.getAttributes().get(UPSTREAM_FAILURE, String.class));
  }

  /** Marks {@code response} as standing for an upstream failure: {@code what} went wrong. */
  public static Response markedAsUpstreamFailure(final Response response, final String what) {
    response.getAttributes().set(UPSTREAM_FAILURE, what);
    return response;
  }
}
