package dev.herald.delivery.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for what the API does to the lines of ordered webhooks ({@link OrderLanes}): the keys a
 * failed head blocks, a retry of that head, a skip, and the release of every line of a webhook
 * whose ordering was removed or keyed anew.
 */
public final class OrderControls {

    /** A line that holds its key after its head failed for good (on_exhausted "block"). */
    public record Blocked(String key, String deliveryId) {
    }

    /** What a skip did. */
    public enum Skipped { SKIPPED, NOT_IN_ORDER }

    /** The lines of a webhook that hold their key, by key; at most {@code limit}. */
    public List<Blocked> blocked(Connection c, String webhookId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT order_key, blocked_delivery FROM order_lane"
                + " WHERE webhook_id = ? AND blocked_delivery IS NOT NULL ORDER BY order_key FETCH FIRST " + limit + " ROWS ONLY")) {
            ps.setString(1, webhookId);
            List<Blocked> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Blocked(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        }
    }

    /** A blocked head is tried again (manual retry, recovery): its line no longer counts as blocked. */
    public void unblock(Connection c, String deliveryId) throws SQLException {
        for (OrderLanes.Queued q : OrderLanes.queued(c, List.of(deliveryId))) {
            clearBlock(c, q.lane(), deliveryId);
        }
    }

    private static void clearBlock(Connection c, OrderLanes.Lane l, String deliveryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE order_lane SET blocked_delivery = NULL"
                + " WHERE webhook_id = ? AND order_key = ? AND blocked_delivery = ?")) {
            ps.setString(1, l.webhookId());
            ps.setString(2, l.key());
            ps.setString(3, deliveryId);
            ps.executeUpdate();
        }
    }

    /**
     * {@code POST /v1/deliveries/{id}/skip}: a delivery still in its line (pending, or the head that
     * blocks it) ends as failed and leaves the line; the next is made due. Its row first, then the
     * line, the order the attempt writer takes them in.
     */
    public Skipped skip(Connection c, String deliveryId, long now) throws SQLException {
        List<OrderLanes.Queued> q = OrderLanes.queued(c, List.of(deliveryId));
        if (q.isEmpty()) {
            return Skipped.NOT_IN_ORDER;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET status = 'failed', error = ?,"
                + " next_attempt_at = NULL, lease_token = NULL, lease_until = NULL, due_at = ?, updated_at = ?"
                + " WHERE id = ? AND status IN ('pending', 'failed')")) {
            ps.setString(1, "skipped: ended by POST /v1/deliveries/" + deliveryId + "/skip");
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.setString(4, deliveryId);
            if (ps.executeUpdate() == 0) {
                return Skipped.NOT_IN_ORDER;
            }
        }
        OrderLanes.Lane l = q.get(0).lane();
        if (!OrderLanes.lock(c, l)) {
            return Skipped.NOT_IN_ORDER;
        }
        OrderLanes.leave(c, deliveryId);
        clearBlock(c, l, deliveryId);
        OrderLanes.makeHeadDue(c, l, now);
        return Skipped.SKIPPED;
    }

    /**
     * The webhook's lines end (its ordering removed, or its key changed): every delivery waiting in
     * them is due now, unordered, and a blocked head is an ordinary failed delivery again.
     */
    public int release(Connection c, String webhookId, long now) throws SQLException {
        // The lines first, in key order as everyone takes them: a head finishing meanwhile waits here,
        // instead of holding its line while this waits for the next delivery it wants to make due.
        try (PreparedStatement ps = c.prepareStatement("SELECT order_key FROM order_lane WHERE webhook_id = ?"
                + " ORDER BY order_key FOR UPDATE")) {
            ps.setString(1, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
        }
        int released;
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET due_at = ?, next_attempt_at = ?"
                + " WHERE status = 'pending' AND due_at = ? AND id IN (SELECT delivery_id FROM order_queue WHERE webhook_id = ?)")) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.setLong(3, OrderLanes.WAITING);
            ps.setString(4, webhookId);
            released = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET due_at = updated_at"
                + " WHERE status = 'failed' AND due_at = ? AND id IN (SELECT delivery_id FROM order_queue WHERE webhook_id = ?)")) {
            ps.setLong(1, OrderLanes.WAITING);
            ps.setString(2, webhookId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM order_lane WHERE webhook_id = ?")) {
            ps.setString(1, webhookId);
            ps.executeUpdate();
        }
        return released;
    }
}
