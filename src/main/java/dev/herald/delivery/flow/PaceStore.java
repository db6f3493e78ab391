package dev.herald.delivery.flow;

import dev.herald.store.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * SQL for the pace of rate-limited webhooks, shared by every instance on the database: one row per
 * webhook, its next free send time (epoch microseconds). A reservation takes a block of send times
 * from it under the row's lock, so blocks of different instances never overlap.
 */
final class PaceStore {

    private final Dialect dialect;

    PaceStore(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Reserves {@code lengthMicros} of the webhook's pace, from its next free time or from
     * {@code nowMicros} if that is later; returns the block's start. Runs in a transaction.
     * {@code ensureRow}: the row may not exist yet (first reservation of this webhook here).
     */
    long reserve(Connection c, String webhookId, long nowMicros, long lengthMicros, boolean ensureRow)
            throws SQLException {
        if (ensureRow) {
            // H2 is one process, where the caller's lock serialises this; PostgreSQL instances may race.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_pace (webhook_id, next_free)"
                    + " SELECT id, 0 FROM webhook WHERE id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM webhook_pace WHERE webhook_id = ?)"
                    + (dialect.postgres() ? " ON CONFLICT DO NOTHING" : ""))) {
                ps.setString(1, webhookId);
                ps.setString(2, webhookId);
                ps.executeUpdate();
            }
        }
        long start;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT next_free FROM webhook_pace WHERE webhook_id = ? FOR UPDATE")) {
            ps.setString(1, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return nowMicros; // the webhook was deleted: its deliveries end without an attempt
                }
                start = Math.max(rs.getLong(1), nowMicros);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_pace SET next_free = ? WHERE webhook_id = ?")) {
            ps.setLong(1, start + lengthMicros);
            ps.setString(2, webhookId);
            ps.executeUpdate();
        }
        return start;
    }

    /** The rate limit of every webhook that has one (the scheduler's claim budget). */
    Map<String, Integer> limits(Connection c) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, rate_limit FROM webhook WHERE rate_limit IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }
}
