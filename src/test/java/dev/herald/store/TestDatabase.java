package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A migrated database for a test: an embedded H2 file, or PostgreSQL ({@link TestPostgres}: the
 * machine's server or one the tests start) in a throwaway schema. Closing drops the schema.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String PG_USER = TestPostgres.USER;

    public final String kind;
    public final Database db;
    private final HikariDataSource dataSource;
    private final String pgSchema;

    private TestDatabase(String kind, HikariDataSource dataSource, String pgSchema) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.pgSchema = pgSchema;
        this.db = new Database(dataSource, Dialect.of(dataSource.getJdbcUrl()));
    }

    /** {@code kind} "h2" (a file in {@code dir}) or "postgresql". */
    public static TestDatabase open(String kind, Path dir) {
        String schema = kind.equals("h2") ? null : createPostgresSchema();
        HikariConfig config = new HikariConfig();
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        config.setPoolName("test-" + kind);
        config.setJdbcUrl(schema == null ? "jdbc:h2:file:" + dir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE"
                : TestPostgres.url(schema));
        if (schema != null) {
            config.setUsername(PG_USER);
        }
        DriverSettings.apply(config, Dialect.of(config.getJdbcUrl()));
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new TestDatabase(kind, ds, schema);
    }

    public boolean isPostgres() {
        return pgSchema != null;
    }

    /** Creates a fresh schema on the tests' server (never skips: without a server the tests start one). */
    public static String createPostgresSchema() {
        String schema = "herald_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = TestPostgres.admin(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("the test schema could not be created at " + TestPostgres.jdbcBase(), e);
        }
        return schema;
    }

    public static void dropPostgresSchema(String schema) throws SQLException {
        try (Connection c = TestPostgres.admin(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    public void close() throws SQLException {
        dataSource.close();
        if (pgSchema != null) {
            dropPostgresSchema(pgSchema);
        }
    }
}
