package dev.herald.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Which database Herald runs on, decided once from herald.db.url (StoreWiring) and carried by
 * {@link Database}; every difference in SQL or setup between the databases asks this, never the
 * URL or the JDBC driver again.
 */
public enum Dialect {

    /** The embedded H2 file of one process: Herald's default. */
    H2_FILE,
    /** H2 in memory: gone when Herald stops; for trials. */
    H2_MEMORY,
    /** A PostgreSQL server, which several instances may share. */
    POSTGRESQL;

    /**
     * The dialect of a JDBC URL. H2 server URLs ({@code jdbc:h2:tcp:}, {@code ssl:}) and H2 file URLs
     * without {@code file:} are refused rather than guessed: the first would share a file Herald treats
     * as its own, the second would lose the durable-commit checkpoint.
     */
    public static Dialect of(String url) {
        String u = url.trim().toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:h2:file:")) {
            return H2_FILE;
        }
        if (u.startsWith("jdbc:h2:mem:")) {
            return H2_MEMORY;
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        // Not the URL itself: it may hold a password.
        throw new IllegalArgumentException("herald.db.url must start with jdbc:h2:file: (the embedded database),"
                + " jdbc:h2:mem: or jdbc:postgresql:" + (u.startsWith("jdbc:h2:") ? " (an H2 file: write jdbc:h2:file:<path>)" : ""));
    }

    /** An H2 file: commits reach it in the background (a durable one ends with a CHECKPOINT), a kill -9 needs repair. */
    public boolean h2File() {
        return this == H2_FILE;
    }

    public boolean postgres() {
        return this == POSTGRESQL;
    }

    /**
     * The scheduler's claim reads with FOR UPDATE SKIP LOCKED, so instances sharing the database claim
     * side by side. Not on H2: it locks every row matching the WHERE before applying the limit.
     */
    public boolean claimsSkipLocked() {
        return this == POSTGRESQL;
    }

    /** A group of rows is updated by one statement over arrays (delivery.log.ArrayUpdate); H2 has no UPDATE ... FROM. */
    public boolean updatesFromArrays() {
        return this == POSTGRESQL;
    }

    /**
     * Makes a statement whose best plan depends on its values (the API's searches) planned for them
     * every time. After five runs on a connection pgjdbc would prepare it on the server, where
     * PostgreSQL may settle on one generic plan: for a search that walked the primary key filtering by
     * webhook, 200 ms for an unknown webhook instead of 0.1 ms by its index. H2 plans each time anyway.
     */
    public void planForItsValues(PreparedStatement ps) throws SQLException {
        if (this == POSTGRESQL) {
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
        }
    }
}
