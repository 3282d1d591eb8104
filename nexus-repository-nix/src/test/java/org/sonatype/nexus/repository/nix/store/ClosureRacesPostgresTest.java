package org.sonatype.nexus.repository.nix.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.sonatype.nexus.repository.nix.content.NixTransactions;

import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two Nexus nodes on one PostgreSQL, as two connections racing: the statement order the plugin's transactions use
 * (see docs/high-availability.md) lets the database decide every race between a narinfo upload and a delete, and
 * what a lost race looks like is what the plugin retries ({@link NixTransactions#lostRace}).
 *
 * <p>An upload holds its NAR and references ({@code lockPaths}, shared) before it checks them and writes; a delete
 * holds what it deletes ({@code lockPaths}, exclusive) before it checks who uses it. Whoever holds first wins; the
 * other waits for its commit and then sees what it did.
 */
class ClosureRacesPostgresTest
{
  private static final String NAR = "/nar/0a.nar.zst";

  private final ExecutorService otherNode = Executors.newSingleThreadExecutor();

  private NexusShapedPostgres database;

  private int repository;

  @BeforeEach
  void createSchema() throws SQLException {
    database = NexusShapedPostgres.create();
    repository = database.contentRepository();
  }

  @AfterEach
  void dropSchema() throws SQLException {
    otherNode.shutdownNow();
    database.close();
  }

  @Test
  void aNarDeleteThatHoldsTheNarFirstMakesTheNarinfoUploadWaitAndFindItGone() throws Exception {
    database.asset(repository, NAR, "nar", null);
    try (SqlSession delete = database.session(); SqlSession upload = database.session()) {
      // node 1: the delete holds the NAR, finds no narinfo using it, deletes it
      assertThat(database.dao(delete).lockPaths(repository, List.of(NAR), true)).containsExactly(NAR);
      assertThat(database.dao(delete).findNarInfosUsingNar(repository, NAR, 3)).isEmpty();
      execute(delete, "DELETE FROM nix_asset WHERE repository_id = ? AND path = ?", repository, NAR);

      // node 2: the upload's hold waits for the delete's transaction
      CompletableFuture<List<String>> held =
          onOtherNode(() -> database.dao(upload).lockPaths(repository, List.of(NAR), false));
      assertWaiting(held);
      delete.commit(true);
      assertThat(held.get(10, TimeUnit.SECONDS)).as("the upload finds its NAR gone and refuses").isEmpty();
    }
  }

  @Test
  void aNarinfoUploadThatHoldsItsNarFirstMakesTheNarDeleteWaitAndSeeItUsed() throws Exception {
    database.asset(repository, NAR, "nar", null);
    try (SqlSession upload = database.session(); SqlSession delete = database.session()) {
      // node 1: the upload holds the NAR and stores a narinfo using it
      assertThat(database.dao(upload).lockPaths(repository, List.of(NAR), false)).containsExactly(NAR);
      int narInfo = insertAsset(upload, "/x.narinfo", "narinfo");
      database.dao(upload).updateNarPath(narInfo, NAR);

      // node 2: the delete's hold waits for the upload's transaction, then sees the narinfo
      CompletableFuture<List<String>> held =
          onOtherNode(() -> database.dao(delete).lockPaths(repository, List.of(NAR), true));
      assertWaiting(held);
      upload.commit(true);
      assertThat(held.get(10, TimeUnit.SECONDS)).containsExactly(NAR);
      assertThat(database.dao(delete).findNarInfosUsingNar(repository, NAR, 3))
          .as("the delete sees the narinfo and refuses").containsExactly("/x.narinfo");
    }
  }

  @Test
  void aNarinfoUploadThatHoldsItsReferenceFirstMakesTheReferenceDeleteWaitAndSeeTheReferrer() throws Exception {
    database.asset(repository, "/y.narinfo", "narinfo", null);
    try (SqlSession upload = database.session(); SqlSession delete = database.session()) {
      // node 1: the upload of x holds its reference y and stores x referencing it
      assertThat(database.dao(upload).lockPaths(repository, List.of("/y.narinfo"), false))
          .containsExactly("/y.narinfo");
      int x = insertAsset(upload, "/x.narinfo", "narinfo");
      database.dao(upload).insertReferences(repository, x, List.of("y"));

      // node 2: the delete of y holds y first, which waits; then it looks for referrers
      CompletableFuture<List<String>> held =
          onOtherNode(() -> database.dao(delete).lockPaths(repository, List.of("/y.narinfo"), true));
      assertWaiting(held);
      upload.commit(true);
      assertThat(held.get(10, TimeUnit.SECONDS)).containsExactly("/y.narinfo");
      assertThat(database.dao(delete).findReferrers(repository, "y", 3))
          .as("the delete sees x referencing y and refuses").containsExactly("/x.narinfo");
    }
  }

  @Test
  void aReferenceDeleteThatHoldsItFirstMakesTheUploadWaitAndFindItGone() throws Exception {
    database.asset(repository, "/y.narinfo", "narinfo", null);
    try (SqlSession delete = database.session(); SqlSession upload = database.session()) {
      assertThat(database.dao(delete).lockPaths(repository, List.of("/y.narinfo"), true))
          .containsExactly("/y.narinfo");
      assertThat(database.dao(delete).findReferrers(repository, "y", 3)).isEmpty();
      execute(delete, "DELETE FROM nix_asset WHERE repository_id = ? AND path = ?", repository, "/y.narinfo");

      CompletableFuture<List<String>> held =
          onOtherNode(() -> database.dao(upload).lockPaths(repository, List.of("/y.narinfo"), false));
      assertWaiting(held);
      delete.commit(true);
      assertThat(held.get(10, TimeUnit.SECONDS)).as("the upload finds its reference gone and refuses").isEmpty();
    }
  }

  @Test
  void uploadsThatShareADependencyHoldItAtTheSameTime() throws Exception {
    database.asset(repository, "/glibc.narinfo", "narinfo", null);
    try (SqlSession first = database.session(); SqlSession second = database.session()) {
      assertThat(database.dao(first).lockPaths(repository, List.of("/glibc.narinfo"), false)).hasSize(1);
      CompletableFuture<List<String>> held =
          onOtherNode(() -> database.dao(second).lockPaths(repository, List.of("/glibc.narinfo"), false));
      assertThat(held.get(10, TimeUnit.SECONDS)).as("a shared hold does not wait for another").hasSize(1);
      first.commit(true);
      second.commit(true);
    }
  }

  @Test
  void twoUploadsCreatingOnePathWaitForEachOtherAndTheLoserIsRetried() throws Exception {
    try (SqlSession first = database.session(); SqlSession second = database.session()) {
      insertAsset(first, "/x.narinfo", "narinfo");
      CompletableFuture<Integer> creating = onOtherNode(() -> insertAsset(second, "/x.narinfo", "narinfo"));
      assertWaiting(creating);
      first.commit(true);
      assertThatThrownBy(() -> creating.get(10, TimeUnit.SECONDS))
          .satisfies(e -> assertThat(NixTransactions.lostRace(e)).as("a unique key taken first: " + e).isTrue());
    }
  }

  @Test
  void holdsOutOfOrderThatDeadlockAreALostRaceAndRetried() throws Exception {
    database.asset(repository, "/a", "nar", null);
    database.asset(repository, "/b", "nar", null);
    try (SqlSession first = database.session(); SqlSession second = database.session()) {
      database.dao(first).lockPaths(repository, List.of("/a"), true);
      database.dao(second).lockPaths(repository, List.of("/b"), true);
      CompletableFuture<List<String>> firstWaits =
          onOtherNode(() -> database.dao(first).lockPaths(repository, List.of("/b"), true));
      assertWaiting(firstWaits);
      Throwable deadlock = null;
      try {
        database.dao(second).lockPaths(repository, List.of("/a"), true);
      }
      catch (RuntimeException e) {
        deadlock = e;
      }
      if (deadlock == null) {
        // PostgreSQL chose the other transaction
        second.commit(true);
        assertThatThrownBy(() -> firstWaits.get(10, TimeUnit.SECONDS)).satisfies(e -> assertDeadlock(e));
      }
      else {
        assertDeadlock(deadlock);
        second.rollback(true);
        assertThat(firstWaits.get(10, TimeUnit.SECONDS)).containsExactly("/b");
      }
    }
  }

  @Test
  void aComponentDeletedUnderANewAssetIsALostRaceAndRetried() throws Exception {
    int component = database.component(repository, "hello", "2.12");
    try (SqlSession upload = database.session(); SqlSession delete = database.session()) {
      // node 1 stores another store path of the same name and version into the component
      execute(upload, "INSERT INTO nix_asset (repository_id, path, kind, component_id, attributes)"
          + " VALUES (?, '/h2.narinfo', 'narinfo', ?, '{}')", repository, component);
      // node 2 deleted the component's last store path and deletes the component, now empty as far as it can see
      CompletableFuture<Integer> deleting = onOtherNode(() ->
          execute(delete, "DELETE FROM nix_component WHERE component_id = ?", component));
      assertWaiting(deleting);
      upload.commit(true);
      assertThatThrownBy(() -> deleting.get(10, TimeUnit.SECONDS))
          .satisfies(e -> assertThat(NixTransactions.lostRace(e)).as("a foreign key violated: " + e).isTrue());
    }
  }

  // ---- helpers

  private static void assertDeadlock(final Throwable e) {
    assertThat(e).hasStackTraceContaining("deadlock");
    assertThat(NixTransactions.lostRace(e)).as("a deadlock: " + e).isTrue();
  }

  private <T> CompletableFuture<T> onOtherNode(final Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, otherNode);
  }

  /** The other node's statement is still waiting for a lock a second later. */
  private static void assertWaiting(final CompletableFuture<?> statement) throws Exception {
    assertThatThrownBy(() -> statement.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
  }

  private int insertAsset(final SqlSession session, final String path, final String kind) {
    try (PreparedStatement statement = session.getConnection().prepareStatement(
        "INSERT INTO nix_asset (repository_id, path, kind, attributes) VALUES (?, ?, ?, '{}') RETURNING asset_id")) {
      statement.setInt(1, repository);
      statement.setString(2, path);
      statement.setString(3, kind);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getInt(1);
      }
    }
    catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int execute(final SqlSession session, final String sql, final Object... parameters) {
    Connection connection = session.getConnection();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    }
    catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
