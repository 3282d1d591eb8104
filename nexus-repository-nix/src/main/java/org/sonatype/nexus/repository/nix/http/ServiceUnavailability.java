package org.sonatype.nexus.repository.nix.http;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Optional;

import org.sonatype.nexus.common.app.FrozenException;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;

/**
 * Failures that are the server's state, not the request's fault, and would otherwise reach the client as a bare 500
 * (or, for a blob store, as a 400 "upload did not complete"). Nothing was stored in any case: the write failed.
 * <ul>
 * <li>Nexus in read-only mode (maintenance: a backup, an upgrade), decoders waiting too long for their shared
 * memory ({@link DecoderMemoryException}: too many large archives at once) and a database too busy to take a write (lock or
 * statement timeouts, serialization failures, deadlocks, no free connection, or no connection at all) are 503s with a
 * {@code Retry-After}: Nix 2.35 and later wait at least that long before their next attempt (they make 5 by default),
 * earlier clients retry 5xx answers on their own schedule.</li>
 * <li>A blob store with no space left is a 507 (Insufficient Storage) without one: it needs an administrator, not a
 * client that waits minutes per attempt (Nix 2.35 honours any {@code Retry-After} as it is) to fail anyway.</li>
 * </ul>
 */
public final class ServiceUnavailability
{
  /** Read-only mode lasts as long as a backup or an administrator's task. */
  static final int READ_ONLY_RETRY_SECONDS = 60;

  /** Lock and connection waits clear within seconds. */
  static final int BUSY_RETRY_SECONDS = 5;

  private static final String NO_SPACE = "No space left on device";

  private ServiceUnavailability() {
  }

  /**
   * The 503 or 507 to answer for {@code failure}, if it (or one of its causes) is such a state; empty for anything
   * else.
   */
  public static Optional<NixRequestException> of(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DecoderMemoryException) {
        return Optional.of(NixRequestException.busy((DecoderMemoryException) t));
      }
      if (t instanceof FrozenException) {
        return Optional.of(NixRequestException.unavailable("Nexus Repository is in read-only mode (" + t.getMessage()
            + "); nothing was changed, try again later", READ_ONLY_RETRY_SECONDS, failure));
      }
      if (t instanceof SQLException && isTransient((SQLException) t)) {
        return Optional.of(NixRequestException.unavailable("the database is busy (" + t.getMessage()
            + "); nothing was changed, try again", BUSY_RETRY_SECONDS, failure));
      }
      if (t.getMessage() != null && t.getMessage().contains(NO_SPACE)) {
        return Optional.of(new NixRequestException(507, "the blob store has no space left (" + t.getMessage()
            + "); nothing was stored, try again once an administrator has made room", failure));
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
