package dev.herald.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How far this instance's clock is from the database server's. Instances sharing a database
 * compare times another instance wrote (lease ends, due times, ids and receive times that order the
 * logs): a clock ahead by more than the lease takes over rows still in flight elsewhere.
 */
public final class ClockCheck {

    /** Above this, the start log warns. */
    public static final long WARN_MILLIS = 1_000;

    private ClockCheck() {
    }

    /** This clock minus the database's, in ms (the database's read halfway through the round trip). */
    public static long skewMillis(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            long before = System.currentTimeMillis();
            try (ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
                long after = System.currentTimeMillis();
                rs.next();
                long server = rs.getTimestamp(1).getTime();
                return (before + after) / 2 - server;
            }
        }
    }
}
