package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.nix.http.NixResponses;
import org.sonatype.nexus.repository.view.Response;

/**
 * {@code nix.whenUpstreamFails} of a proxy or group: what a client gets for a binary-cache file (narinfo, NAR,
 * listing, log, realisation, debuginfo) that cannot be served because an upstream failed (unreachable, 5xx, timed
 * out, auto-blocked, corrupt answer).
 *
 * Nix aborts a build whose substituter answers 5xx for a narinfo (2.8 even with {@code fallback = true}); a 404
 * makes every client build the path itself, but it then does not ask again for that path for its negative-cache
 * time to live (an hour by default). The administrator chooses.
 */
public enum WhenUpstreamFails
{
  /** 502/503/504: clients retry, and newer ones with {@code fallback = true} build locally. The default. */
  ERROR("error"),

  /** 404 at once: every client builds locally now. */
  NOT_FOUND("notFound");

  /** Key in the repository's {@code nix} configuration section. */
  public static final String KEY = "whenUpstreamFails";

  /** The values, for validation. */
  public static final String VALUES = "error|notFound";

  public static final String INVALID = "must be 'error' or 'notFound'";

  /** For the API description. */
  public static final String DESCRIPTION = "What a client gets for a binary-cache file that cannot be served "
      + "because an upstream failed (unreachable, 5xx, timed out, auto-blocked, corrupt answer): 'error' (default) "
      + "answers 502/503/504, which Nix retries (and newer clients with fallback = true build locally); 'notFound' "
      + "answers 404 at once, so every client builds the path itself, but does not ask for it again for its "
      + "negative-cache TTL (an hour by default). A group answers 404 when the only members that failed are set to "
      + "'notFound'";

  private final String value;

  WhenUpstreamFails(final String value) {
    this.value = value;
  }

  /** As in the configuration and REST. */
  public String value() {
    return value;
  }

  /**
   * @param value as configured; null for the default
   * @throws IllegalArgumentException if it is none of the values
   */
  public static WhenUpstreamFails of(final String value) {
    if (value == null) {
      return ERROR;
    }
    for (WhenUpstreamFails choice : values()) {
      if (choice.value.equals(value)) {
        return choice;
      }
    }
    throw new IllegalArgumentException("nix." + KEY + " " + INVALID + ", not '" + value + "'");
  }

  /** The answer a client gets for {@code response}: unchanged unless it is an upstream failure to turn into a 404. */
  public Response answer(final Response response) {
    if (this == ERROR || response.getStatus().getCode() < 500) {
      return response;
    }
    return NixResponses.upstreamFailure(response)
        .map(NixResponses::upstreamFailureAsNotFound)
        .orElse(response);
  }
}
