package dev.herald.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for deliveries that finished before a cutoff, and their attempts. A finished delivery's
 * {@code due_at} is when it finished (V6__endpoint_lifecycle.sql), so the oldest are a range of
 * the claim index {@code (status, due_at)}: one range per finished status, read in index order
 * and never past the batch. Portable between H2 and PostgreSQL.
 */
final class FinishedDeliveries {

    static final List<String> STATUSES = List.of("success", "failed");

    /** Up to {@code limit} ids of deliveries in {@code status} that finished before {@code cutoff}, oldest first. */
    List<String> oldest(Connection c, String status, long cutoff, int limit) throws SQLException {
        // Ordered by the index's own columns, so both databases read it in order and stop at the limit.
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE status = ? AND due_at < ?"
                + " ORDER BY status, due_at FETCH FIRST " + limit + " ROWS ONLY")) {
            ps.setString(1, status);
            ps.setLong(2, cutoff);
            return ids(ps);
        }
    }

    /**
     * Locks those of {@code ids} that are still finished before the cutoff: a manual retry or a
     * recovery that made one pending in between keeps it, and one starting now waits for this
     * transaction and then finds the row gone. One lookup per id by its primary key: H2 evaluates
     * an {@code IN (?, ?, ...)} list by comparing each row with every element (a batch of 1000 cost
     * a million comparisons per statement), and given {@code status} and {@code due_at} too it may
     * pick the claim index's whole range. Not FOR UPDATE on the range query: H2 would lock every row
     * of the range before applying the limit.
     */
    List<String> lock(Connection c, List<String> ids, String status, long cutoff) throws SQLException {
        List<String> locked = new ArrayList<>(ids.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT status, due_at FROM delivery WHERE id = ? FOR UPDATE")) {
            for (String id : ids) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && status.equals(rs.getString(1))) {
                        long dueAt = rs.getLong(2);
                        if (!rs.wasNull() && dueAt < cutoff) {
                            locked.add(id);
                        }
                    }
                }
            }
        }
        return locked;
    }

    /** Deletes the attempts of the locked deliveries; returns how many. */
    int deleteAttempts(Connection c, List<String> locked) throws SQLException {
        return deleteEach(c, "DELETE FROM delivery_attempt WHERE delivery_id = ?", locked);
    }

    /** Deletes the locked deliveries (after their attempts, which reference them); returns how many. */
    int deleteDeliveries(Connection c, List<String> locked) throws SQLException {
        return deleteEach(c, "DELETE FROM delivery WHERE id = ?", locked);
    }

    /** {@code sql} once per id, in one JDBC batch (one round trip on PostgreSQL); the rows it deleted. */
    static int deleteEach(Connection c, String sql, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.addBatch();
            }
            int deleted = 0;
            for (int n : ps.executeBatch()) {
                deleted += Math.max(n, 0);
            }
            return deleted;
        }
    }

    private static List<String> ids(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
