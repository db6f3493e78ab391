package dev.herald.store;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * What a failed write says: the database is away (nothing can be written now), or one row's
 * data was refused (the others can be written). Also a reason to log that never carries the
 * data: H2 quotes a refused value in its message, and PostgreSQL's batch errors quote the
 * statement with its parameters, a receiver's response body among them.
 */
public final class SqlFailures {

    /** SQLState classes of a database that is not there to write to: connection, login, resources, operator. */
    private static final Set<String> AWAY_CLASSES = Set.of("08", "28", "53", "57");
    /** H2: database closed, connection broken, shutting down, file I/O failed. */
    private static final Set<String> H2_AWAY = Set.of("90098", "90067", "90121", "90028", "90031");

    private SqlFailures() {
    }

    public static boolean isDatabaseAway(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            String state = t instanceof SQLException s ? state(s) : null;
            if (state != null && (H2_AWAY.contains(state) || state.length() == 5 && AWAY_CLASSES.contains(state.substring(0, 2)))) {
                return true;
            }
        }
        return false;
    }

    /** SQLState class 22, "data exception" (22001: value too long), in H2 and PostgreSQL alike: this data, not the database. */
    public static boolean isDataError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String state = t instanceof SQLException s ? state(s) : null;
            if (state != null && state.startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A short reason safe to log and to store: the SQLState and what it means, or the
     * exception's class. A database away is described with its driver's message (a
     * connection failure quotes no data).
     */
    public static String reason(Throwable failure) {
        SQLException sql = firstSqlException(failure);
        if (sql == null) {
            return failure.getClass().getSimpleName();
        }
        String state = state(sql);
        if (isDatabaseAway(failure)) {
            // A batch's own message quotes the statement and its values; the next exception says what happened.
            SQLException plain = sql instanceof BatchUpdateException ? sql.getNextException() : sql;
            return "SQLState " + state + (plain == null ? "" : ": " + plain.getMessage());
        }
        if (state == null) {
            return "SQL error " + sql.getErrorCode();
        }
        return "SQLState " + state + switch (state.substring(0, 2)) {
            case "22" -> state.equals("22001") ? " (a value too long)" : state.equals("22021") ? " (characters refused)" : " (data refused)";
            case "23" -> state.equals("23505") ? " (duplicate key)" : " (constraint violated)";
            default -> "";
        };
    }

    private static SQLException firstSqlException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** The state of the error itself: a batch failure may carry it only on its next exception. */
    private static String state(SQLException s) {
        if (s.getSQLState() == null && s.getNextException() != null) {
            return s.getNextException().getSQLState();
        }
        return s.getSQLState();
    }
}
