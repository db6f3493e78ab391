package dev.herald;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.herald.retention.H2CompactOnStop;
import dev.herald.store.ClockCheck;
import dev.herald.store.CrashRepair;
import dev.herald.store.Database;
import dev.herald.store.DatabaseHealthCheck;
import dev.herald.store.DatabaseInUse;
import dev.herald.store.Dialect;
import dev.herald.store.DriverSettings;
import dev.herald.store.H2FullCompaction;
import dev.herald.store.VacuumCheck;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

/** The database: a HikariCP pool on herald.db.url, migrated by Flyway before any route starts. */
final class StoreWiring {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWiring.class);

    private StoreWiring() {
    }

    /**
     * The pool closes when Camel stops, after everything wired later (routes, the attempt writer).
     * {@code beforeServing} runs on the migrated database before anything else uses it and says how
     * many rows it rewrote to hide their values (the webhook secrets sealed at start): their old
     * versions must not stay readable in the embedded H2 file (H2FullCompaction).
     */
    static Database database(Settings s, ToIntFunction<Database> beforeServing) throws Exception {
        // The embedded H2 file: created here, repaired after a kill -9, checkpointed on durable commits,
        // compacted for a bounded time when it closes (H2CompactOnStop says why not more).
        // Which database, decided here once: every difference between them asks the Dialect.
        Dialect dialect = Dialect.of(s.text("herald.db.url"));
        String url = H2CompactOnStop.url(s.text("herald.db.url"), dialect, s.millis("herald.retention.compact-on-stop"));
        boolean h2File = dialect.h2File();
        Path dataDir = Path.of(s.text("herald.data.dir"));
        Path marker = dataDir.resolve("herald.running");
        AtomicReference<HikariDataSource> pool = new AtomicReference<>();
        AtomicBoolean markerIsOurs = new AtomicBoolean();
        if (h2File) {
            // Added before the pool's own stop action, so it runs after it: only a stop with the file
            // closed removes the marker, and only the one this start wrote (also when the start
            // fails later: Settings.undo); a killed run's marker stays until a start repairs.
            s.onStop(() -> {
                if (markerIsOurs.get()) {
                    CrashRepair.onCleanStop(marker);
                }
            });
        }
        s.onStop(() -> close(pool.get()));
        try {
            if (h2File) {
                Files.createDirectories(marker.getParent());
                CrashRepair.closeCleanlyIfKilled(url, s.text("herald.db.user"), s.text("herald.db.password"), marker);
            }
            pool.set(pool(s, url, dialect));
            Flyway.configure().dataSource(pool.get()).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw DatabaseInUse.explain(e, url);
        }
        if (h2File) {
            CrashRepair.onStart(pool.get(), marker);
            markerIsOurs.set(true);
        }
        // H2 writes commits to its file in the background every 500 ms: a kill -9 would lose events
        // already acknowledged (CrashRecoveryTest shows it), so durable transactions end in a CHECKPOINT.
        Database db = new Database(pool.get(), dialect);
        if (h2File) {
            H2FullCompaction compaction = H2FullCompaction.before(dataDir);
            int rewritten;
            try {
                rewritten = beforeServing.applyAsInt(db);
            } catch (RuntimeException e) {
                compaction.failed();
                throw e;
            }
            if (compaction.needed(rewritten)) {
                compaction.compact(url, s.text("herald.db.user"), s.text("herald.db.password"));
                close(pool.get());
                pool.set(pool(s, url, dialect));
                db = new Database(pool.get(), dialect);
            }
            compaction.done();
        } else if (beforeServing.applyAsInt(db) > 0) {
            LOG.warn("The rows just sealed keep their old versions in the database's files until VACUUM reclaims them,"
                    + " and in its WAL and backups: see docs/security.md, \"Secrets sealed at rest\"");
        }
        healthCheck(s, pool.get());
        LOG.info("Database ready at {}", url);
        if (dialect.postgres()) {
            checkClock(pool.get());
            checkVacuum(pool.get());
        }
        return db;
    }

    private static HikariDataSource pool(Settings s, String url, Dialect dialect) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("herald-db");
        config.setJdbcUrl(url);
        config.setUsername(s.text("herald.db.user"));
        config.setPassword(s.text("herald.db.password"));
        config.setMaximumPoolSize(s.integer("herald.db.pool-size"));
        DriverSettings.apply(config, dialect);
        // While the database is away, callers fail fast (a 5xx to the source) instead of hanging.
        config.setConnectionTimeout(s.millis("herald.db.connection-timeout"));
        return new HikariDataSource(config);
    }

    private static void close(HikariDataSource ds) {
        if (ds != null) {
            ds.close();
        }
    }

    /** A shared database: several instances compare each other's times (ClockCheck says why). */
    private static void checkClock(HikariDataSource ds) throws java.sql.SQLException {
        try (java.sql.Connection c = ds.getConnection()) {
            long skew = ClockCheck.skewMillis(c);
            if (Math.abs(skew) > ClockCheck.WARN_MILLIS) {
                LOG.warn("This clock is {} ms {} the database server's: instances sharing the database need clocks"
                        + " within a second of each other (NTP); see docs/scale-out.md", Math.abs(skew), skew > 0 ? "ahead of" : "behind");
            } else {
                LOG.info("This clock is within {} ms of the database server's", Math.abs(skew));
            }
        }
    }

    /** PostgreSQL without autovacuum: the claims slow down with every delivery made (VacuumCheck says why). */
    private static void checkVacuum(HikariDataSource ds) throws java.sql.SQLException {
        try (java.sql.Connection c = ds.getConnection()) {
            if (!VacuumCheck.autovacuumOn(c)) {
                LOG.warn("PostgreSQL runs with autovacuum off: dead versions of delivery rows pile up and the"
                        + " scheduler's claims read them again and again; turn it on (docs/operations.md, PostgreSQL)");
            }
        }
    }

    /**
     * The readiness check "database", bound in the registry where Camel's health registry looks for
     * checks. Its validation runs on its own thread (stopped with Camel) so a probe waits at most 1 s
     * even when the pool waits herald.db.connection-timeout for a connection.
     */
    private static void healthCheck(Settings s, HikariDataSource ds) {
        var executor = s.context().getExecutorServiceManager().newSingleThreadExecutor(ds, "HeraldDatabaseCheck");
        s.context().getRegistry().bind("heraldDatabaseCheck", new DatabaseHealthCheck(ds, executor, 1000, 1000));
    }
}
