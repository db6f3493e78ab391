package dev.herald.delivery.log;

import dev.herald.subscription.Ordering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SQL for ordered delivery (V10__ordered_delivery.sql): the lines of an ordered webhook, one per
 * key. A line's row is locked by whoever changes the line: ingest numbering new deliveries, the
 * head's final outcome making the next one due, a skip, so an ingest racing with the end of the
 * head either sees the head (its delivery waits) or sees none (its delivery is the head): none is
 * left behind. Rows of several lines are locked in key order, so no two transactions deadlock on them.
 * Only the head of a line has a due time; the others wait at {@link #WAITING}, which no claim reaches.
 * What the API does to lines (blocked list, retry, skip, release) is in {@link OrderControls}.
 */
public final class OrderLanes {

    /** due_at of a delivery waiting for its turn (and of a blocked head, which retention must keep). */
    public static final long WAITING = Long.MAX_VALUE;

    /** A new delivery of an ordered webhook, in the order its event was accepted. */
    public record Entry(String deliveryId, String webhookId, String key) {
    }

    record Lane(String webhookId, String key) implements Comparable<Lane> {
        @Override
        public int compareTo(Lane o) {
            int c = webhookId.compareTo(o.webhookId);
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    record Queued(String deliveryId, Lane lane, long seq) {
    }

    private final AtomicBoolean advanced = new AtomicBoolean();

    /**
     * Numbers {@code entries} in their lines, in the given order after everything committed before; the
     * ids of those that are the head of their line (due now). The others wait for their turn.
     */
    public Set<String> enqueue(Connection c, List<Entry> entries) throws SQLException {
        Map<Lane, List<Entry>> byLane = new TreeMap<>();
        for (Entry e : entries) {
            byLane.computeIfAbsent(new Lane(e.webhookId(), e.key()), l -> new ArrayList<>()).add(e);
        }
        Set<String> heads = new HashSet<>();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO order_queue (webhook_id, order_key, order_seq,"
                + " delivery_id) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<Lane, List<Entry>> lane : byLane.entrySet()) {
                Lane l = lane.getKey();
                List<Entry> list = lane.getValue();
                long last = take(c, l, list.size());
                if (!hasQueued(c, l)) {
                    heads.add(list.get(0).deliveryId());
                }
                long seq = last - list.size();
                for (Entry e : list) {
                    insert.setString(1, l.webhookId());
                    insert.setString(2, l.key());
                    insert.setLong(3, ++seq);
                    insert.setString(4, e.deliveryId());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        return heads;
    }

    /** Locks the line (made if new) and moves its last number on by {@code n}; the new last number. */
    private static long take(Connection c, Lane l, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE order_lane SET last_seq = last_seq + ?"
                + " WHERE webhook_id = ? AND order_key = ?")) {
            ps.setLong(1, n);
            ps.setString(2, l.webhookId());
            ps.setString(3, l.key());
            if (ps.executeUpdate() == 0) {
                // A new line. Made by another ingest meanwhile: a duplicate key, and ingest runs again.
                try (PreparedStatement in = c.prepareStatement("INSERT INTO order_lane (webhook_id, order_key, last_seq)"
                        + " VALUES (?, ?, ?)")) {
                    in.setString(1, l.webhookId());
                    in.setString(2, l.key());
                    in.setLong(3, n);
                    in.executeUpdate();
                }
                return n;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM order_lane WHERE webhook_id = ? AND order_key = ?")) {
            ps.setString(1, l.webhookId());
            ps.setString(2, l.key());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean hasQueued(Connection c, Lane l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT delivery_id FROM order_queue WHERE webhook_id = ?"
                + " AND order_key = ? ORDER BY order_seq FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, l.webhookId());
            ps.setString(2, l.key());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * In the transaction that records final outcomes ({@code success}: per delivery id, true for
     * success, false for failed for good): each head that finished leaves its line and the next is
     * made due now, or, failed under on_exhausted "block", holds its line. Deliveries in no line: nothing.
     */
    public void finished(Connection c, Map<String, Boolean> success, long now) throws SQLException {
        if (success.isEmpty()) {
            return;
        }
        List<Queued> queued = queued(c, new ArrayList<>(success.keySet()));
        if (queued.isEmpty()) {
            return;
        }
        Map<Lane, List<Queued>> byLane = new TreeMap<>();
        for (Queued q : queued) {
            byLane.computeIfAbsent(q.lane(), l -> new ArrayList<>()).add(q);
        }
        Map<String, Ordering> orderings = new LinkedHashMap<>();
        for (Map.Entry<Lane, List<Queued>> e : byLane.entrySet()) {
            Lane l = e.getKey();
            if (!lock(c, l)) {
                continue; // released meanwhile (ordering changed, webhook deleted)
            }
            boolean blocked = false;
            for (Queued q : e.getValue()) {
                Ordering o = orderings.computeIfAbsent(l.webhookId(), id -> ordering(c, id));
                if (!success.get(q.deliveryId()) && o != null && o.onExhausted() == Ordering.OnExhausted.BLOCK) {
                    block(c, l, q.deliveryId());
                    blocked = true;
                } else {
                    leave(c, q.deliveryId());
                }
            }
            if (!blocked && makeHeadDue(c, l, now)) {
                advanced.set(true);
            }
        }
    }

    /** Whether a line moved on since {@link #takeAdvanced}: the attempt writer's commit is then made durable. */
    public boolean advanced() {
        return advanced.get();
    }

    /** Set when a line moved on; the attempt writer wakes the scheduler after its commit. */
    public boolean takeAdvanced() {
        return advanced.getAndSet(false);
    }

    static List<Queued> queued(Connection c, List<String> ids) throws SQLException {
        List<Queued> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            try (PreparedStatement ps = c.prepareStatement("SELECT delivery_id, webhook_id, order_key, order_seq"
                    + " FROM order_queue WHERE delivery_id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Queued(rs.getString(1), new Lane(rs.getString(2), rs.getString(3)), rs.getLong(4)));
                    }
                }
            }
        }
        out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return out;
    }

    static boolean lock(Connection c, Lane l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM order_lane WHERE webhook_id = ?"
                + " AND order_key = ? FOR UPDATE")) {
            ps.setString(1, l.webhookId());
            ps.setString(2, l.key());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Ordering ordering(Connection c, String webhookId) {
        try (PreparedStatement ps = c.prepareStatement("SELECT ordering FROM webhook WHERE id = ?")) {
            ps.setString(1, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Ordering.fromStored(rs.getString(1)) : null;
            }
        } catch (SQLException e) {
            throw new dev.herald.store.StoreException(e);
        }
    }

    /** The head holds its line; its row waits where retention does not reach it until it is retried or skipped. */
    private static void block(Connection c, Lane l, String deliveryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE order_lane SET blocked_delivery = ?"
                + " WHERE webhook_id = ? AND order_key = ?")) {
            ps.setString(1, deliveryId);
            ps.setString(2, l.webhookId());
            ps.setString(3, l.key());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET due_at = ? WHERE id = ? AND status = 'failed'")) {
            ps.setLong(1, WAITING);
            ps.setString(2, deliveryId);
            ps.executeUpdate();
        }
    }

    static void leave(Connection c, String deliveryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM order_queue WHERE delivery_id = ?")) {
            ps.setString(1, deliveryId);
            ps.executeUpdate();
        }
    }

    /** The lowest-numbered delivery left in the line becomes due now, if it was waiting (the line's row is locked). */
    static boolean makeHeadDue(Connection c, Lane l, long now) throws SQLException {
        String head;
        try (PreparedStatement ps = c.prepareStatement("SELECT delivery_id FROM order_queue WHERE webhook_id = ?"
                + " AND order_key = ? ORDER BY order_seq FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, l.webhookId());
            ps.setString(2, l.key());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                head = rs.getString(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET due_at = ?, next_attempt_at = ?"
                + " WHERE id = ? AND status = 'pending' AND due_at = ?")) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.setString(3, head);
            ps.setLong(4, WAITING);
            return ps.executeUpdate() == 1;
        }
    }
}
