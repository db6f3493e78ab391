package dev.herald.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether PostgreSQL vacuums on its own. Every delivery leaves dead versions of its row (claimed,
 * finished); until a vacuum removes them the scheduler's claim reads their index entries again on
 * every pass: with autovacuum off, a benchmark of 1.1 million deliveries had its claims read 803
 * million index entries (docs/operations.md, PostgreSQL).
 */
public final class VacuumCheck {

    private VacuumCheck() {
    }

    /** The server's {@code autovacuum} setting. */
    public static boolean autovacuumOn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW autovacuum")) {
            return rs.next() && "on".equalsIgnoreCase(rs.getString(1));
        }
    }
}
