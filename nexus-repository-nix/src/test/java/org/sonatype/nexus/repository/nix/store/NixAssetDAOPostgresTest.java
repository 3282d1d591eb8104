package org.sonatype.nexus.repository.nix.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every statement of the plugin's {@code NixAssetDAO.xml} on a real PostgreSQL, against the tables Nexus 3.71 creates
 * there (see {@link NexusShapedPostgres}): the schema extension, and each query and update with the results the
 * plugin relies on.
 */
class NixAssetDAOPostgresTest
{
  private NexusShapedPostgres database;

  private int repository;

  @BeforeEach
  void createSchema() throws SQLException {
    database = NexusShapedPostgres.create();
    repository = database.contentRepository();
  }

  @AfterEach
  void dropSchema() throws SQLException {
    database.close();
  }

  @Test
  void theSchemaExtensionAddsTheNarPathColumnTheReferenceTableAndTheirIndexes() throws SQLException {
    assertThat(columns("nix_asset")).contains("nar_path");
    assertThat(columns("nix_reference")).containsExactlyInAnyOrder("repository_id", "asset_id", "reference_hash");
    assertThat(indexes()).contains("idx_nix_asset_nar_path", "idx_nix_reference_hash", "pk_nix_reference");
  }

  @Test
  void theSchemaExtensionRunsAgainOnEveryStartWithoutHarm() throws SQLException {
    int narInfo = database.asset(repository, "/a.narinfo", "narinfo", null);
    try (SqlSession session = database.session()) {
      database.dao(session).updateNarPath(narInfo, "/nar/a.nar");
      session.commit();
      database.dao(session).extendSchema();
      session.commit();
      assertThat(database.dao(session).findNarInfosUsingNar(repository, "/nar/a.nar", 10))
          .containsExactly("/a.narinfo");
    }
  }

  @Test
  void narPathsFindTheNarinfosThatUseANarInPathOrderUpToTheLimit() throws SQLException {
    int b = database.asset(repository, "/b.narinfo", "narinfo", null);
    int a = database.asset(repository, "/a.narinfo", "narinfo", null);
    int c = database.asset(repository, "/c.narinfo", "narinfo", null);
    int other = database.contentRepository();
    int elsewhere = database.asset(other, "/a.narinfo", "narinfo", null);
    try (SqlSession session = database.session()) {
      NixAssetDAO dao = database.dao(session);
      assertThat(dao.updateNarPath(a, "/nar/shared.nar")).isEqualTo(1);
      dao.updateNarPath(b, "/nar/shared.nar");
      dao.updateNarPath(c, "/nar/own.nar");
      dao.updateNarPath(elsewhere, "/nar/shared.nar");
      session.commit();

      assertThat(dao.findNarInfosUsingNar(repository, "/nar/shared.nar", 10)).containsExactly("/a.narinfo",
          "/b.narinfo");
      assertThat(dao.findNarInfosUsingNar(repository, "/nar/shared.nar", 1)).containsExactly("/a.narinfo");
      assertThat(dao.findNarInfosUsingNar(repository, "/nar/none.nar", 10)).isEmpty();
    }
  }

  @Test
  void referencesAreReplacedFoundByHashAndGoWithTheirAsset() throws SQLException {
    int x = database.asset(repository, "/x.narinfo", "narinfo", null);
    int y = database.asset(repository, "/y.narinfo", "narinfo", null);
    try (SqlSession session = database.session()) {
      NixAssetDAO dao = database.dao(session);
      dao.insertReferences(repository, x, List.of("dep1", "dep2"));
      dao.insertReferences(repository, y, List.of("dep1"));
      session.commit();
      assertThat(dao.findReferrers(repository, "dep1", 10)).containsExactly("/x.narinfo", "/y.narinfo");
      assertThat(dao.findReferrers(repository, "dep1", 1)).containsExactly("/x.narinfo");

      dao.deleteReferences(x);
      dao.insertReferences(repository, x, List.of("dep3"));
      session.commit();
      assertThat(dao.findReferrers(repository, "dep1", 10)).containsExactly("/y.narinfo");
      assertThat(dao.findReferrers(repository, "dep3", 10)).containsExactly("/x.narinfo");
    }
    try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM nix_asset WHERE asset_id = " + y);
      try (ResultSet left = statement.executeQuery("SELECT COUNT(*) FROM nix_reference WHERE asset_id = " + y)) {
        left.next();
        assertThat(left.getInt(1)).as("references deleted with their asset (ON DELETE CASCADE)").isZero();
      }
    }
  }

  @Test
  void aStorePathCannotListTheSameReferenceTwice() throws SQLException {
    int x = database.asset(repository, "/x.narinfo", "narinfo", null);
    try (SqlSession session = database.session()) {
      assertThatThrownBy(() -> database.dao(session).insertReferences(repository, x, List.of("dep", "dep")))
          .hasStackTraceContaining("pk_nix_reference");
    }
  }

  @Test
  void existingPathsAreTheOnesOfThisRepository() throws SQLException {
    database.asset(repository, "/a.narinfo", "narinfo", null);
    database.asset(repository, "/b.narinfo", "narinfo", null);
    database.asset(database.contentRepository(), "/c.narinfo", "narinfo", null);
    try (SqlSession session = database.session()) {
      assertThat(database.dao(session).findExistingPaths(repository, List.of("/a.narinfo", "/c.narinfo", "/d")))
          .containsExactly("/a.narinfo");
    }
  }

  @Test
  void newestPathsComeNewestFirstMatchedByAnEscapedPrefix() throws SQLException {
    database.asset(repository, "/channels/a_b/1.tar.xz", "channel-tarball", null);
    database.asset(repository, "/channels/a_b/2.tar.xz", "channel-tarball", null);
    database.asset(repository, "/channels/axb/3.tar.xz", "channel-tarball", null);
    database.asset(repository, "/channels/a_b/pointer", "channel-pointer", null);
    try (SqlSession session = database.session()) {
      // the two a_b tarballs were created in one instant or apart: asset_id orders them either way
      assertThat(database.dao(session).findNewestPaths(repository, "channel-tarball",
          NixAssetStore.likePrefix("/channels/a_b/"), 10))
          .containsExactly("/channels/a_b/2.tar.xz", "/channels/a_b/1.tar.xz");
      assertThat(database.dao(session).findNewestPaths(repository, "channel-tarball",
          NixAssetStore.likePrefix("/channels/a_b/"), 1))
          .containsExactly("/channels/a_b/2.tar.xz");
    }
  }

  @Test
  void anAssetMovesIntoTheComponentOfItsStorePath() throws SQLException {
    int component = database.component(repository, "hello", "2.12");
    int nar = database.asset(repository, "/nar/h.nar", "nar", null);
    try (SqlSession session = database.session()) {
      assertThat(database.dao(session).updateAssetComponent(nar, component)).isEqualTo(1);
      session.commit();
    }
    try (Connection connection = database.connection(); Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("SELECT component_id FROM nix_asset WHERE asset_id = " + nar)) {
      row.next();
      assertThat(row.getInt(1)).isEqualTo(component);
    }
  }

  @Test
  void lockingPathsReturnsThoseThatExistInPathOrder() throws SQLException {
    database.asset(repository, "/b", "nar", null);
    database.asset(repository, "/a", "nar", null);
    try (SqlSession session = database.session()) {
      assertThat(database.dao(session).lockPaths(repository, List.of("/b", "/missing", "/a"), false))
          .containsExactly("/a", "/b");
      assertThat(database.dao(session).lockPaths(repository, List.of("/a"), true)).containsExactly("/a");
      assertThat(database.dao(session).lockContentRepository(repository)).isEqualTo(repository);
      session.rollback();
    }
  }

  private Set<String> columns(final String table) throws SQLException {
    return strings("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        + " AND table_name = '" + table + "'");
  }

  private Set<String> indexes() throws SQLException {
    return strings("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()");
  }

  private Set<String> strings(final String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = database.connection(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return Set.copyOf(values);
  }
}
