package org.sonatype.nexus.repository.nix.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sonatype.nexus.blobstore.api.BlobRef;
import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.common.entity.EntityId;
import org.sonatype.nexus.datastore.api.DataAccess;
import org.sonatype.nexus.repository.content.store.AssetBlobDAO;
import org.sonatype.nexus.repository.content.store.AssetBlobData;
import org.sonatype.nexus.repository.content.store.AssetDAO;
import org.sonatype.nexus.repository.content.store.AssetData;
import org.sonatype.nexus.repository.content.store.ComponentDAO;
import org.sonatype.nexus.repository.content.store.ComponentData;
import org.sonatype.nexus.repository.content.store.ContentRepositoryDAO;
import org.sonatype.nexus.repository.content.store.ContentRepositoryData;

import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.mapping.VendorDatabaseIdProvider;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.apache.ibatis.type.TypeHandler;
import org.joda.time.DateTime;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The Nix tables on a real PostgreSQL as Nexus creates them there: Nexus 3.71's own content store templates
 * ({@code ContentRepositoryDAO.xml}, {@code ComponentDAO.xml}, {@code AssetBlobDAO.xml}, {@code AssetDAO.xml}, read
 * from its nexus-repository-content jar), with the plugin's {@code NixAssetDAO.xml} appended to the asset template,
 * composed as Nexus's MyBatis data store composes them (format prefix {@code nix}, the PostgreSQL database id, its
 * placeholder types {@code UUID}, {@code JSONB}, {@code BYTEA}), then {@code createSchema} of each and the plugin's
 * {@code extendSchema}. Each instance lives in a schema of its own, dropped on {@link #close()}.
 *
 * <p>The database: {@code -Dnix.test.postgres.url=jdbc:postgresql://host:port/db?user=..&password=..}, which
 * {@code ./src/test.sh} sets after starting Debian's PostgreSQL (see the plugin pom's {@code postgres} profile).
 */
final class NexusShapedPostgres
    implements AutoCloseable
{
  static final String URL_PROPERTY = "nix.test.postgres.url";

  private static final Pattern MAPPER_BODY = Pattern.compile(".*<mapper[^>]*>(.*)</mapper>", Pattern.DOTALL);

  private static final String TEMPLATES = "/org/sonatype/nexus/repository/content/store/";

  private final PGSimpleDataSource dataSource;

  private final String schema;

  private final SqlSessionFactory sessions;

  private NexusShapedPostgres(final PGSimpleDataSource dataSource, final String schema) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.sessions = new SqlSessionFactoryBuilder().build(myBatis(dataSource));
  }

  /** A new schema with Nexus's Nix tables, extended by the plugin. */
  static NexusShapedPostgres create() throws SQLException {
    String url = System.getProperty(URL_PROPERTY);
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("no PostgreSQL to test on: set -D" + URL_PROPERTY + "=jdbc:postgresql://..."
          + " (./src/test.sh starts Debian's PostgreSQL and sets it)");
    }
    String schema = "nix_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    dataSource.setCurrentSchema(schema);
    // what Nexus's data store sets for PostgreSQL (a pgjdbc workaround for its string parameters)
    dataSource.setStringType("unspecified");
    try {
      NexusShapedPostgres database = new NexusShapedPostgres(dataSource, schema);
      try (SqlSession session = database.session()) {
        session.getMapper(NixContentRepositoryDAO.class).createSchema();
        session.getMapper(NixComponentDAO.class).createSchema();
        session.getMapper(NixAssetBlobDAO.class).createSchema();
        session.getMapper(NixAssetDAO.class).createSchema();
        session.getMapper(NixAssetDAO.class).extendSchema();
        session.commit(true);
      }
      return database;
    }
    catch (RuntimeException | Error e) {
      dropSchema(schema);
      throw e;
    }
  }

  /** A session on a connection of its own, not auto-committing (each one is a separate database client). */
  SqlSession session() {
    return sessions.openSession(false);
  }

  NixAssetDAO dao(final SqlSession session) {
    return session.getMapper(NixAssetDAO.class);
  }

  /** A plain JDBC connection into the schema, auto-committing: for fixtures and for looking at the tables. */
  Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  // ---- fixtures: rows as Nexus's own statements write them

  int contentRepository() throws SQLException {
    return insert("INSERT INTO nix_content_repository (config_repository_id, attributes) VALUES (?, '{}')"
        + " RETURNING repository_id", UUID.randomUUID());
  }

  int component(final int repositoryId, final String name, final String version) throws SQLException {
    return insert("INSERT INTO nix_component (repository_id, namespace, name, kind, version, normalized_version,"
        + " attributes) VALUES (?, '', ?, 'store-path', ?, ?, '{}') RETURNING component_id",
        repositoryId, name, version, version);
  }

  int asset(final int repositoryId, final String path, final String kind, final Integer componentId)
      throws SQLException
  {
    return insert("INSERT INTO nix_asset (repository_id, path, kind, component_id, attributes)"
        + " VALUES (?, ?, ?, ?, '{}') RETURNING asset_id", repositoryId, path, kind, componentId);
  }

  private int insert(final String sql, final Object... parameters) throws SQLException {
    try (Connection connection = connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getInt(1);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    dropSchema(schema);
  }

  private static void dropSchema(final String schema) throws SQLException {
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setUrl(System.getProperty(URL_PROPERTY));
    try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  // ---- MyBatis, as Nexus's data store sets it up for the nix format

  private static Configuration myBatis(final PGSimpleDataSource dataSource) {
    Configuration config = new Configuration(new Environment("nix-test", new JdbcTransactionFactory(), dataSource));
    config.setDatabaseId(new VendorDatabaseIdProvider().getDatabaseId(dataSource));
    config.setMapUnderscoreToCamelCase(true);
    config.setReturnInstanceForEmptyRow(true);
    config.getVariables().putAll(Map.of("UUID_TYPE", "UUID", "JSON_TYPE", "JSONB", "BINARY_TYPE", "BYTEA"));
    config.getTypeAliasRegistry().registerAlias("ContentRepositoryData", ContentRepositoryData.class);
    config.getTypeAliasRegistry().registerAlias("ComponentData", ComponentData.class);
    config.getTypeAliasRegistry().registerAlias("AssetBlobData", AssetBlobData.class);
    config.getTypeAliasRegistry().registerAlias("AssetData", AssetData.class);
    config.getTypeAliasRegistry().registerAlias("NestedAttributesMap", NestedAttributesMap.class);
    // Nexus's own handlers of its entity types live in nexus-datastore-mybatis, which is not on Maven Central; the
    // templates' statements that take them must still parse, and none of them is run here
    for (Class<?> type : List.of(EntityId.class, NestedAttributesMap.class, BlobRef.class, Map.class, List.class,
        Set.class, DateTime.class)) {
      registerNotRunHere(config, type);
    }
    register(config, NixContentRepositoryDAO.class, ContentRepositoryDAO.class);
    register(config, NixComponentDAO.class, ComponentDAO.class);
    register(config, NixAssetBlobDAO.class, AssetBlobDAO.class);
    register(config, NixAssetDAO.class, AssetDAO.class);
    return config;
  }

  @SuppressWarnings("unchecked")
  private static <T> void registerNotRunHere(final Configuration config, final Class<T> type) {
    config.getTypeHandlerRegistry().register(type, (TypeHandler<T>) (TypeHandler<?>) new NotRunHere(type));
  }

  /** Stands in for a Nexus type handler in statements these tests parse but never run. */
  private static final class NotRunHere
      extends BaseTypeHandler<Object>
  {
    private final Class<?> type;

    NotRunHere(final Class<?> type) {
      this.type = type;
    }

    @Override
    public void setNonNullParameter(final PreparedStatement ps, final int i, final Object parameter,
                                    final JdbcType jdbcType)
    {
      throw new UnsupportedOperationException("Nexus's " + type.getSimpleName() + " handler is not here");
    }

    @Override
    public Object getNullableResult(final ResultSet rs, final String columnName) {
      throw new UnsupportedOperationException("Nexus's " + type.getSimpleName() + " handler is not here");
    }

    @Override
    public Object getNullableResult(final ResultSet rs, final int columnIndex) {
      throw new UnsupportedOperationException("Nexus's " + type.getSimpleName() + " handler is not here");
    }

    @Override
    public Object getNullableResult(final CallableStatement cs, final int columnIndex) {
      throw new UnsupportedOperationException("Nexus's " + type.getSimpleName() + " handler is not here");
    }
  }

  /** The template's XML for the format, with the access type's own XML (if any) appended inside its mapper. */
  private static void register(
      final Configuration config,
      final Class<? extends DataAccess> accessType,
      final Class<?> templateType)
  {
    String prefix = accessType.getSimpleName().replace(templateType.getSimpleName(), "").toLowerCase(Locale.ROOT);
    String xml = read(TEMPLATES + templateType.getSimpleName() + ".xml")
        .replace("${namespace}", accessType.getName())
        .replace("${format}", prefix);
    String own = "/" + accessType.getName().replace('.', '/') + ".xml";
    if (accessType.getResource(own) != null) {
      Matcher body = MAPPER_BODY.matcher(read(own));
      if (body.find()) {
        xml = xml.replace("</mapper>", "<!-- " + accessType.getName() + " -->" + body.group(1) + "</mapper>");
      }
    }
    new XMLMapperBuilder(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), config, accessType.getName(),
        config.getSqlFragments(), accessType.getName()).parse();
    if (!config.hasMapper(accessType)) {
      config.addMapper(accessType);
    }
  }

  private static String read(final String resource) {
    try (InputStream in = NexusShapedPostgres.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
