package dev.herald.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
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
     * transaction and then finds the row gone. Rows are looked up by id alone and checked here, so
     * H2 reads the primary key rather than the claim index's whole range (it chose the range for
     * {@code id IN (...) AND status = ? AND due_at < ?}). Not FOR UPDATE on the range query either:
     * H2 would lock every row of the range before applying the limit.
     */
    List<String> lock(Connection c, List<String> ids, String status, long cutoff) throws SQLException {
        if (ids.isEmpty()) {
            return ids;
        }
        List<String> locked = new ArrayList<>(ids.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT id, status, due_at FROM delivery WHERE id IN ("
                + marks(ids.size()) + ") FOR UPDATE")) {
            bind(ps, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long dueAt = rs.getLong(3);
                    boolean finishedBefore = !rs.wasNull() && dueAt < cutoff;
                    if (finishedBefore && status.equals(rs.getString(2))) {
                        locked.add(rs.getString(1));
                    }
                }
            }
        }
        return locked;
    }

    /** Deletes the attempts of the locked deliveries; returns how many. */
    int deleteAttempts(Connection c, List<String> locked) throws SQLException {
        return deleteIn(c, "DELETE FROM delivery_attempt WHERE delivery_id IN (", locked);
    }

    /** Deletes the locked deliveries (after their attempts, which reference them); returns how many. */
    int deleteDeliveries(Connection c, List<String> locked) throws SQLException {
        return deleteIn(c, "DELETE FROM delivery WHERE id IN (", locked);
    }

    private static int deleteIn(Connection c, String head, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(head + marks(ids.size()) + ")")) {
            bind(ps, ids);
            return ps.executeUpdate();
        }
    }

    static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Binds {@code ids} from parameter 1; returns the next parameter index. */
    static int bind(PreparedStatement ps, List<String> ids) throws SQLException {
        int i = 1;
        for (String id : ids) {
            ps.setString(i++, id);
        }
        return i;
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
