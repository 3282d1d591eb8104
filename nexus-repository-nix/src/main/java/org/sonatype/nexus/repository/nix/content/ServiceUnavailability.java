package org.sonatype.nexus.repository.nix.content;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Optional;

import org.sonatype.nexus.common.app.FrozenException;

/**
 * Failures that are the server's state of the moment, not the request's fault, and would otherwise reach the client
 * as a bare 500: Nexus in read-only mode (maintenance: a backup, an upgrade), a database too busy to take a write
 * (lock or statement timeouts, serialization failures, deadlocks, no free connection, or no connection at all), a
 * blob store with no space left. Each is a 503 with a {@code Retry-After}: Nix 2.35 and later wait at least that long
 * before trying again, and earlier clients retry 5xx answers on their own schedule. Nothing was stored in any case:
 * the write failed.
 */
public final class ServiceUnavailability
{
  /** Read-only mode lasts as long as a backup or an administrator's task. */
  static final int READ_ONLY_RETRY_SECONDS = 60;

  /** Lock and connection waits clear within seconds. */
  static final int BUSY_RETRY_SECONDS = 5;

  /** A full blob store needs an administrator. */
  static final int NO_SPACE_RETRY_SECONDS = 300;

  private static final String NO_SPACE = "No space left on device";

  private ServiceUnavailability() {
  }

  /**
   * The 503 to answer for {@code failure}, if it (or one of its causes) is such a state; empty for anything else.
   */
  public static Optional<NixRequestException> of(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof FrozenException) {
        return Optional.of(NixRequestException.unavailable("Nexus Repository is in read-only mode (" + t.getMessage()
            + "); nothing was changed, try again later", READ_ONLY_RETRY_SECONDS, failure));
      }
      if (t instanceof SQLException && isTransient((SQLException) t)) {
        return Optional.of(NixRequestException.unavailable("the database is busy (" + t.getMessage()
            + "); nothing was changed, try again", BUSY_RETRY_SECONDS, failure));
      }
      if (t.getMessage() != null && t.getMessage().contains(NO_SPACE)) {
        return Optional.of(NixRequestException.unavailable("the blob store has no space left (" + t.getMessage()
            + "); nothing was stored, try again once an administrator has made room", NO_SPACE_RETRY_SECONDS, failure));
      }
    }
    return Optional.empty();
  }

  /**
   * JDBC's transient exceptions (timeouts, pool exhaustion: H2's lock timeout is one) and, by SQL state, what
   * PostgreSQL and H2 report as conflicts or unavailability: transaction rollbacks ({@code 40}: serialization
   * failure, deadlock), connection exceptions ({@code 08}), lock not available ({@code 55P03}) and statement timeouts
   * ({@code 57014}). Constraint violations and syntax errors are not among them.
   */
  private static boolean isTransient(final SQLException e) {
    if (e instanceof SQLTransientException) {
      return true;
    }
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("40") || state.startsWith("08") || state.equals("55P03") || state.equals("57014"));
  }
}
