package dev.herald.bench;

import dev.herald.event.EventLog;
import dev.herald.store.Ids;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills a migrated database with a delivery log for {@link SearchPlans}: {@code rows} events over
 * 30 days (received in batches of 10 that share a millisecond; a third with client-chosen ids),
 * one delivery each, with skewed webhooks, types and statuses so that each filter has a common, a
 * rare and an empty case. Batched inserts, one commit per 10,000 rows.
 */
final class SearchData {

    static final long DAY = 86_400_000L;
    /** Share of events per type, in parts per 1,000 (never.sent: none, the worst case). */
    static final String[] TYPES = {"order.created", "order.updated", "user.signup", "invoice.paid", "rare.thing"};
    static final int[] TYPE_PER_MILLE = {500, 250, 149, 100, 1};
    static final String[] HOOKS = {"hook_common", "hook_second", "hook_third", "hook_rare"};
    static final int[] HOOK_PER_MILLE = {500, 300, 199, 1};

    final int rows;
    final long end;
    final long start;
    /** Where the middle of the log is: for the deep-cursor cases. */
    String middleDeliveryId;
    EventLog.Position middleEvent;

    SearchData(int rows, long end) {
        this.rows = rows;
        this.end = end;
        this.start = end - 30 * DAY;
    }

    long receivedAt(int i) {
        return start + (i / 10) * (30 * DAY / Math.max(1, rows / 10));
    }

    /** Deterministic spread: the same database every run. */
    static int perMille(int i, int salt) {
        long h = (i + 1L) * 0x9E3779B97F4A7C15L + salt * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (int) Math.floorMod(h, 1000L);
    }

    static String pick(String[] names, int[] shares, int perMille) {
        int acc = 0;
        for (int k = 0; k < names.length; k++) {
            acc += shares[k];
            if (perMille < acc) {
                return names[k];
            }
        }
        return names[names.length - 1];
    }

    /** A time-ordered id at {@code millis}, unique by {@code n} (the form Ids makes). */
    static String id(String prefix, long millis, long n) {
        char[] tail = new char[16];
        for (int i = 15; i >= 0; i--) {
            tail[i] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".charAt((int) (n & 31));
            n >>>= 5;
        }
        return Ids.at(prefix, millis).substring(0, prefix.length() + 10) + new String(tail);
    }

    void fill(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ev = c.prepareStatement(
                "INSERT INTO event (id, type, created_at, data, received_at) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement de = c.prepareStatement("INSERT INTO delivery (id, event_id, webhook_id, status, attempts,"
                     + " status_code, error, next_attempt_at, lease_token, lease_until, delivered_at, due_at, created_at, updated_at)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                long at = receivedAt(i);
                String eventId = i % 3 == 0 ? "order-" + i + "-" + perMille(i, 7) : id("evt_", at, i);
                ev.setString(1, eventId);
                ev.setString(2, pick(TYPES, TYPE_PER_MILLE, perMille(i, 1)));
                ev.setLong(3, at - 1000);
                ev.setString(4, "{\"order\":{\"id\":" + i + ",\"total\":1234,\"currency\":\"EUR\",\"note\":\"a small payload\"}}");
                ev.setLong(5, at);
                ev.addBatch();
                // The newest 1% is still pending; 3% of the rest failed.
                boolean pending = i >= rows - rows / 100;
                boolean failed = !pending && perMille(i, 3) < 30;
                String deliveryId = id("del_", at, i);
                de.setString(1, deliveryId);
                de.setString(2, eventId);
                de.setString(3, pick(HOOKS, HOOK_PER_MILLE, perMille(i, 2)));
                de.setString(4, pending ? "pending" : failed ? "failed" : "success");
                de.setInt(5, pending ? 0 : failed ? 5 : 1);
                if (pending) {
                    de.setNull(6, java.sql.Types.INTEGER);
                } else {
                    de.setInt(6, failed ? 500 : 200);
                }
                de.setString(7, failed ? "HTTP 500" : null);
                if (pending) {
                    de.setLong(8, at);
                } else {
                    de.setNull(8, java.sql.Types.BIGINT);
                }
                if (failed || pending) {
                    de.setNull(9, java.sql.Types.BIGINT);
                } else {
                    de.setLong(9, at + 50);
                }
                de.setLong(10, pending ? at : at + 50);
                de.setLong(11, at);
                de.setLong(12, at + 50);
                de.addBatch();
                if (i == rows / 2) {
                    middleDeliveryId = deliveryId;
                    middleEvent = new EventLog.Position(at, eventId);
                }
                if (i % 1000 == 999 || i == rows - 1) {
                    ev.executeBatch();
                    de.executeBatch();
                }
                if (i % 10_000 == 9_999 || i == rows - 1) {
                    c.commit();
                }
                if (i % 200_000 == 199_999) {
                    System.out.printf("[plans]   %,d rows%n", i + 1);
                }
            }
        }
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
    }
}
