package org.sonatype.nexus.repository.nix.content;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.sonatype.nexus.datastore.api.DuplicateKeyException;
import org.sonatype.nexus.datastore.api.SerializedAccessException;
import org.sonatype.nexus.repository.content.facet.ContentFacetSupport;
import org.sonatype.nexus.transaction.Transaction;
import org.sonatype.nexus.transaction.Transactional;
import org.sonatype.nexus.transaction.UnitOfWork;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.sonatype.nexus.repository.nix.http.NixRequestException.conflict;

/**
 * How the database, not a lock in one JVM, decides races between writers, on one Nexus node or several sharing one
 * database: a write and the checks it depends on run as one transaction, which takes row locks before it looks
 * (see {@link NixContentFacet#holdShared}), and a transaction that loses a race to a concurrent writer (a unique key
 * taken first, a row deleted under a foreign key, a deadlock, a lock wait timeout, a serialization failure) is rolled
 * back and run again from the start, when it sees what the winner committed. After {@value #ATTEMPTS} lost races in
 * a row the request is answered 409.
 */
public final class NixTransactions
{
  /** What {@link #retrying} runs: one transaction's work, which may read a blob (IOException). */
  @FunctionalInterface
  public interface Work<T>
  {
    T run() throws IOException;
  }

  static final int ATTEMPTS = 6;

  private static final Logger log = LoggerFactory.getLogger(NixTransactions.class);

  /**
   * SQL states that mean "a concurrent writer got there first", on PostgreSQL and H2: the transaction is worth
   * running again, not an error of this request.
   */
  private static final Set<String> LOST_RACE = Set.of(
      "23505", // unique_violation: the same row was created first by another transaction
      "23503", // foreign_key_violation: a row this one links to was deleted (or a row linked to what it deletes added)
      "40001", // serialization_failure (PostgreSQL); deadlock detected (H2)
      "40P01", // deadlock_detected (PostgreSQL)
      "55P03", // lock_not_available (PostgreSQL)
      "HYT00"); // lock wait timeout (H2)

  private NixTransactions() {
  }

  /**
   * Runs {@code work} as one transaction of {@code store}, again from the start after a lost race. Inside an active
   * transaction it just runs: the outermost one decides, and is the one retried.
   */
  static <T> T retrying(final ContentFacetSupport store, final Work<T> work) throws IOException {
    if (inActiveTransaction()) {
      return work.run();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return Transactional.operation.throwing(IOException.class).withStore(store).call(work::run);
      }
      catch (RuntimeException e) {
        if (!lostRace(e)) {
          throw e;
        }
        if (attempt == ATTEMPTS) {
          log.info("Repository {}: gave up after {} transactions lost a race with concurrent writers: {}",
              store.repository().getName(), ATTEMPTS, e.toString());
          throw conflict("what this request changes was changed concurrently by other requests " + ATTEMPTS
              + " times in a row; nothing was changed, try again");
        }
        log.debug("Repository {}: transaction lost a race ({}), attempt {} of {}", store.repository().getName(), e,
            attempt, ATTEMPTS);
        backOff(attempt);
      }
    }
  }

  /** Whether a failure means a concurrent transaction got there first. */
  public static boolean lostRace(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DuplicateKeyException || t instanceof SerializedAccessException) {
        return true;
      }
      if (t instanceof SQLException) {
        for (SQLException e = (SQLException) t; e != null; e = e.getNextException()) {
          if (e.getSQLState() != null && LOST_RACE.contains(e.getSQLState())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean inActiveTransaction() {
    UnitOfWork work = UnitOfWork.pause();
    try {
      Transaction tx = work != null ? work.getTransaction() : null;
      return tx != null && tx.isActive();
    }
    finally {
      UnitOfWork.resume(work);
    }
  }

  /** A few to a few hundred milliseconds, random: the losers of one race should not meet again at once. */
  private static void backOff(final int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L << attempt));
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry a transaction", e);
    }
  }
}
