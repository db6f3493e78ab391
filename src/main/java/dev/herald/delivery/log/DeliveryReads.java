package dev.herald.delivery.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the API's reads of delivery rows (their attempts are in {@link AttemptLog}). */
public final class DeliveryReads {

    private static final String DELIVERY_COLUMNS = "id, event_id, webhook_id, status, attempts, status_code, error,"
            + " next_attempt_at, delivered_at, created_at, updated_at, application_id";

    /** The columns {@link #readDeliveries} reads, each prefixed with a table alias ("d."). */
    static String columns(String alias) {
        return alias + DELIVERY_COLUMNS.replace(", ", ", " + alias);
    }

    public Optional<Delivery> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readDelivery(rs)) : Optional.empty();
            }
        }
    }

    /** Newest first; {@code cursor} is the last id of the previous page. */
    public List<Delivery> listForWebhook(Connection c, String webhookId, String status, String cursor, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE webhook_id = ?");
        if (status != null) {
            sql.append(" AND status = ?");
        }
        if (cursor != null) {
            sql.append(" AND id < ?");
        }
        // Both columns of delivery_webhook: ordered by id alone, H2 read every row of the webhook and
        // sorted them before the limit (DeliverySearch, docs/operations.md "Searching the delivery log").
        sql.append(" ORDER BY webhook_id DESC, id DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, webhookId);
            if (status != null) {
                ps.setString(i++, status);
            }
            if (cursor != null) {
                ps.setString(i, cursor);
            }
            return readDeliveries(ps);
        }
    }

    public List<Delivery> listForEvent(Connection c, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS
                + " FROM delivery WHERE event_id = ? ORDER BY id")) {
            ps.setString(1, eventId);
            return readDeliveries(ps);
        }
    }

    /** Failed deliveries of a webhook created at or after {@code since}. */
    public List<String> failedSince(Connection c, String webhookId, long since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE webhook_id = ?"
                + " AND status = 'failed' AND created_at >= ? ORDER BY id")) {
            ps.setString(1, webhookId);
            ps.setLong(2, since);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    static List<Delivery> readDeliveries(PreparedStatement ps) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(readDelivery(rs));
            }
        }
        return out;
    }

    private static Delivery readDelivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                intOrNull(rs, 6), rs.getString(7), longOrNull(rs, 8), longOrNull(rs, 9), rs.getLong(10), rs.getLong(11),
                rs.getString(12));
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
