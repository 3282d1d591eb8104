package org.sonatype.nexus.repository.nix.secrets;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.mapping.VendorDatabaseIdProvider;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code nix_secret} statements ({@code NixSecretDAO.xml}) on a real PostgreSQL, set up as Nexus's data store
 * sets MyBatis up there (the PostgreSQL database id, {@code stringtype=unspecified}), in a schema of their own. Nexus's
 * {@code EncryptedStringTypeHandler} is not on Maven Central: a stand-in that marks what it encrypts shows that the
 * secret column goes through the handler both ways, and only that column.
 *
 * <p>The database: {@code -Dnix.test.postgres.url}, which {@code ./src/test.sh} sets after starting PostgreSQL.
 */
class NixSecretDAOPostgresTest
{
  private static final String URL_PROPERTY = "nix.test.postgres.url";

  private PGSimpleDataSource dataSource;

  private String schema;

  private SqlSessionFactory sessions;

  @BeforeEach
  void createSchema() throws Exception {
    String url = System.getProperty(URL_PROPERTY);
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("no PostgreSQL to test on: set -D" + URL_PROPERTY + "=jdbc:postgresql://..."
          + " (./src/test.sh starts Debian's PostgreSQL and sets it)");
    }
    schema = "nix_secret_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    dataSource.setCurrentSchema(schema);
    dataSource.setStringType("unspecified");
    sessions = new SqlSessionFactoryBuilder().build(myBatis(dataSource));
    try (SqlSession session = sessions.openSession(true)) {
      session.getMapper(NixSecretDAO.class).createSchema();
    }
  }

  @AfterEach
  void dropSchema() throws SQLException {
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setUrl(System.getProperty(URL_PROPERTY));
    try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void creatingTheSchemaAgainKeepsWhatIsThere() {
    create("a", "repository/hosted-a", "secret a", 1);

    try (SqlSession session = sessions.openSession(true)) {
      session.getMapper(NixSecretDAO.class).createSchema();
    }

    assertThat(read("a").getSecret()).isEqualTo("secret a");
  }

  @Test
  void aSecretIsStoredThroughTheDatabasesCipherAndReadBackThroughIt() throws SQLException {
    create("a", "repository/hosted-a", "secret a", 1);

    NixSecretData read = read("a");

    assertThat(read.getSecret()).isEqualTo("secret a");
    assertThat(read.getPurpose()).isEqualTo("repository/hosted-a");
    assertThat(read.getCreated()).isEqualTo(1);
    assertThat(column("a", "secret")).isEqualTo("sealed(secret a)");
    assertThat(column("a", "purpose")).isEqualTo("repository/hosted-a");
  }

  @Test
  void aSecretNotThereReadsAsNothing() {
    assertThat(read("missing")).isNull();
  }

  @Test
  void browsingByPurposePrefixListsOnlyThoseInTheOrderStoredWithoutTheirSecrets() {
    create("b", "repository/hosted-b", "secret b", 2);
    create("a", "repository/hosted-a", "secret a", 1);
    create("c", "other:hosted-a", "secret c", 3);

    List<NixSecretData> listed;
    try (SqlSession session = sessions.openSession(true)) {
      listed = session.getMapper(NixSecretDAO.class).browseByPurposePrefix("repository/");
    }

    assertThat(listed.stream().map(NixSecretData::getId).collect(Collectors.toList())).containsExactly("a", "b");
    assertThat(listed).allSatisfy(row -> assertThat(row.getSecret()).isNull());
  }

  @Test
  void aSecretIsDeletedOnce() {
    create("a", "repository/hosted-a", "secret a", 1);

    try (SqlSession session = sessions.openSession(true)) {
      NixSecretDAO dao = session.getMapper(NixSecretDAO.class);
      assertThat(dao.delete("a")).isEqualTo(1);
      assertThat(dao.delete("a")).isZero();
    }
    assertThat(read("a")).isNull();
  }

  @Test
  void anIdIsStoredOnlyOnce() {
    create("a", "repository/hosted-a", "secret a", 1);

    assertThatThrownBy(() -> create("a", "repository/hosted-a", "another", 2))
        .isInstanceOf(PersistenceException.class)
        .hasMessageContaining("pk_nix_secret_id");
    assertThat(read("a").getSecret()).isEqualTo("secret a");
  }

  // ---- helpers

  private void create(final String id, final String purpose, final String secret, final long created) {
    NixSecretData data = new NixSecretData();
    data.setId(id);
    data.setPurpose(purpose);
    data.setSecret(secret);
    data.setCreated(created);
    try (SqlSession session = sessions.openSession(true)) {
      session.getMapper(NixSecretDAO.class).create(data);
    }
  }

  private NixSecretData read(final String id) {
    try (SqlSession session = sessions.openSession(true)) {
      return session.getMapper(NixSecretDAO.class).read(id);
    }
  }

  private String column(final String id, final String column) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(
             "SELECT " + column + " FROM nix_secret WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet result = statement.executeQuery()) {
        assertThat(result.next()).isTrue();
        return result.getString(1);
      }
    }
  }

  private static Configuration myBatis(final PGSimpleDataSource dataSource) throws Exception {
    Configuration config = new Configuration(new Environment("nix-test", new JdbcTransactionFactory(), dataSource));
    config.setDatabaseId(new VendorDatabaseIdProvider().getDatabaseId(dataSource));
    config.setMapUnderscoreToCamelCase(true);
    config.setReturnInstanceForEmptyRow(true);
    config.getTypeAliasRegistry().registerAlias("NixSecretData", NixSecretData.class);
    config.getTypeAliasRegistry().registerAlias("EncryptedStringTypeHandler", SealingStandIn.class);
    String resource = "/" + NixSecretDAO.class.getName().replace('.', '/') + ".xml";
    new XMLMapperBuilder(NixSecretDAO.class.getResourceAsStream(resource), config, resource,
        config.getSqlFragments(), NixSecretDAO.class.getName()).parse();
    if (!config.hasMapper(NixSecretDAO.class)) {
      config.addMapper(NixSecretDAO.class);
    }
    return config;
  }

  /** Stands in for Nexus's {@code EncryptedStringTypeHandler}: "seals" by wrapping, so the column shows it. */
  public static final class SealingStandIn
      extends BaseTypeHandler<String>
  {
    @Override
    public void setNonNullParameter(final PreparedStatement ps, final int i, final String parameter,
                                    final JdbcType jdbcType) throws SQLException
    {
      ps.setString(i, "sealed(" + parameter + ")");
    }

    @Override
    public String getNullableResult(final ResultSet rs, final String columnName) throws SQLException {
      return unsealed(rs.getString(columnName));
    }

    @Override
    public String getNullableResult(final ResultSet rs, final int columnIndex) throws SQLException {
      return unsealed(rs.getString(columnIndex));
    }

    @Override
    public String getNullableResult(final CallableStatement cs, final int columnIndex) throws SQLException {
      return unsealed(cs.getString(columnIndex));
    }

    private static String unsealed(final String value) {
      if (value == null) {
        return null;
      }
      assertThat(value).startsWith("sealed(").endsWith(")");
      return value.substring("sealed(".length(), value.length() - 1);
    }
  }
}
