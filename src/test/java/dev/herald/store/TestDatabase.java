package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A migrated database for a test: an embedded H2 file, or PostgreSQL at 127.0.0.1:5432 in a
 * throwaway schema (the test is skipped when no server answers). Closing drops the schema.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String PG_USER = "postgres";

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
                : PG_BASE + "?currentSchema=" + schema);
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

    /** Creates a fresh schema, or skips the test when no PostgreSQL server answers. */
    public static String createPostgresSchema() {
        String schema = "herald_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        // No server: refused at once. A server slow to answer on a busy machine must not turn into a skip.
        try (Connection c = DriverManager.getConnection(PG_BASE + "?connectTimeout=10&loginTimeout=10", PG_USER, null);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                Assumptions.assumeTrue(false, "PostgreSQL not reachable at 127.0.0.1:5432: this case runs on H2 only");
            }
            throw new IllegalStateException("PostgreSQL answered but the test schema could not be created", e);
        }
        return schema;
    }

    public static void dropPostgresSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_BASE + "?connectTimeout=10", PG_USER, null);
             Statement s = c.createStatement()) {
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
