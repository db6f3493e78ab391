package dev.herald.delivery.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQL for deliveries that wait without using an attempt: those of an inactive webhook (held with
 * no due time until it is active again) and those of a receiver whose circuit breaker is open
 * (due again when it may be probed). Attempts and {@code next_attempt_at} stay as they were, so
 * the delivery continues on its table afterwards.
 */
public final class Holds {

    /**
     * The webhook is inactive: the row is held, unless the webhook was resumed meanwhile (then it is
     * only handed back, due at its next attempt time). The webhook's row is locked first, as the
     * resume locks it: a hold cannot slip in after a resume released the held rows.
     * Runs in a transaction.
     */
    public void holdWhileInactive(Connection c, String deliveryId, String token, String webhookId) throws SQLException {
        boolean active;
        try (PreparedStatement ps = c.prepareStatement("SELECT active FROM webhook WHERE id = ? FOR UPDATE")) {
            ps.setString(1, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return; // deleted: its pending rows ended with it
                }
                active = rs.getBoolean(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET lease_token = NULL, lease_until = NULL,"
                + " due_at = " + (active ? "next_attempt_at" : "NULL")
                + " WHERE id = ? AND lease_token = ? AND status = 'pending'")) {
            ps.setString(1, deliveryId);
            ps.setString(2, token);
            ps.executeUpdate();
        }
    }

    /** The webhook is active again (its row locked by the caller): its held rows are due at their next attempt time. */
    public int resume(Connection c, String webhookId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET due_at = next_attempt_at"
                + " WHERE webhook_id = ? AND status = 'pending' AND due_at IS NULL")) {
            ps.setString(1, webhookId);
            return ps.executeUpdate();
        }
    }

    /** The receiver's breaker is open: the row is given up, due again at {@code until}. */
    public void holdUntil(Connection c, String deliveryId, String token, long until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET lease_token = NULL, lease_until = NULL,"
                + " due_at = ? WHERE id = ? AND lease_token = ? AND status = 'pending'")) {
            ps.setLong(1, until);
            ps.setString(2, deliveryId);
            ps.setString(3, token);
            ps.executeUpdate();
        }
    }
}
