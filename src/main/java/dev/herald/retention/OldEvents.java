package dev.herald.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for events received before a cutoff that no delivery references any more (their deliveries
 * were purged, or they matched no webhook). An event with a delivery left, pending or finished
 * within the period, stays: the delivery log renders each attempt's body from its event.
 * Read through the index {@code event_received (received_at, id)} in order, after a cursor: the
 * events a run passes over (deliveries left) are read once per run, not once per batch.
 */
final class OldEvents {

    /** Where a run got to: the last event it read, in index order. */
    record Cursor(long receivedAt, String id) {
        static final Cursor START = new Cursor(Long.MIN_VALUE, "");
    }

    /** One batch: the events to delete and the cursor after the last one read. */
    record Batch(List<String> ids, Cursor next) {
    }

    /** Up to {@code limit} events after {@code after} received before {@code cutoff} with no delivery. */
    Batch next(Connection c, long cutoff, Cursor after, int limit) throws SQLException {
        // The range on received_at uses the index; the cursor's tie on received_at is a filter on it.
        try (PreparedStatement ps = c.prepareStatement("SELECT e.id, e.received_at FROM event e"
                + " WHERE e.received_at >= ? AND e.received_at < ? AND (e.received_at > ? OR e.id > ?)"
                + " AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.event_id = e.id)"
                + " ORDER BY e.received_at, e.id FETCH FIRST " + limit + " ROWS ONLY")) {
            ps.setLong(1, after.receivedAt());
            ps.setLong(2, cutoff);
            ps.setLong(3, after.receivedAt());
            ps.setString(4, after.id());
            List<String> ids = new ArrayList<>();
            Cursor last = after;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    last = new Cursor(rs.getLong(2), rs.getString(1));
                }
            }
            return new Batch(ids, last);
        }
    }

    /**
     * Deletes those of {@code ids} that still have no delivery (one may have been added since the
     * read, by a replay); returns how many. One statement per id in a batch, like
     * {@link FinishedDeliveries#deleteEach}.
     */
    int delete(Connection c, List<String> ids) throws SQLException {
        return FinishedDeliveries.deleteEach(c, "DELETE FROM event WHERE id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.event_id = event.id)", ids);
    }
}
