package dev.herald.retention;

import dev.herald.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Rows for RetentionStoreTest, written in JDBC batches: events, deliveries and their attempts. */
final class Rows {

    private final Connection c;
    private final PreparedStatement events;
    private final PreparedStatement deliveries;
    private final PreparedStatement attempts;
    /** Every old event is received one millisecond after the one before, in the order written. */
    private long received = 1_600_000_000_000L;

    Rows(Database db) throws SQLException {
        c = db.dataSource().getConnection();
        c.setAutoCommit(false);
        events = c.prepareStatement("INSERT INTO event (id, type, created_at, data, received_at) VALUES (?, 'test.x', ?, '{}', ?)");
        deliveries = c.prepareStatement("INSERT INTO delivery (id, event_id, webhook_id, status, attempts, created_at,"
                + " updated_at, due_at) VALUES (?, ?, 'hook_1', ?, ?, 0, 0, ?)");
        attempts = c.prepareStatement("INSERT INTO delivery_attempt (delivery_id, attempt, trigger_kind, started_at,"
                + " duration_ms, url, request_headers) VALUES (?, ?, 'scheduled', 0, 1, 'http://127.0.0.1/x', '{}')");
    }

    /** The next old receive time. */
    long received() {
        return received++;
    }

    void event(String id, long receivedAt) throws SQLException {
        events.setString(1, id);
        events.setLong(2, receivedAt);
        events.setLong(3, receivedAt);
        events.addBatch();
    }

    /** A delivery with an event of its own, received long before the cutoff. */
    void delivery(String id, String status, long dueAt, int attemptCount) throws SQLException {
        event(id + "-ev", received());
        deliveryOf(id + "-ev", id, status, dueAt, attemptCount);
    }

    void deliveryOf(String eventId, String id, String status, long dueAt, int attemptCount) throws SQLException {
        deliveries.setString(1, id);
        deliveries.setString(2, eventId);
        deliveries.setString(3, status);
        deliveries.setInt(4, attemptCount);
        deliveries.setLong(5, dueAt);
        deliveries.addBatch();
        for (int a = 1; a <= attemptCount; a++) {
            attempts.setString(1, id);
            attempts.setInt(2, a);
            attempts.addBatch();
        }
    }

    /** Writes everything in one transaction (events before the deliveries that reference them). */
    void flush() throws SQLException {
        try (c) {
            events.executeBatch();
            deliveries.executeBatch();
            attempts.executeBatch();
            c.commit();
        }
    }
}
