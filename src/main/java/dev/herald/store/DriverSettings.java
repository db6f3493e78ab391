package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;

/** JDBC driver properties of Herald's pool (HikariCP hands them to the driver); the URL's own win. */
public final class DriverSettings {

    private DriverSettings() {
    }

    public static void apply(HikariConfig config, Dialect dialect) {
        if (dialect.postgres()) {
            // JDBC batches of inserts (events and deliveries at ingest, attempt rows) sent as multi-row
            // INSERTs, not one statement per row.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
    }
}
