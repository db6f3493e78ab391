package dev.herald.delivery.log;

import static dev.herald.store.SqlParams.setInt;
import static dev.herald.store.SqlParams.setLong;

import dev.herald.event.StoredEvent;
import dev.herald.store.Dialect;
import dev.herald.store.Json;
import dev.herald.store.StoredText;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for the delivery log: an attempt written with the delivery's new state, and read back.
 * Every text that can hold a receiver's bytes goes through {@link StoredText} on the way in.
 */
public final class AttemptLog {

    private static final int URL_CHARS = 2048;

    private final Dialect dialect;
    private final OrderLanes lanes = new OrderLanes();

    /** {@code dialect}: how a group's rows are updated (one statement over arrays on PostgreSQL, a batch on H2). */
    public AttemptLog(Dialect dialect) {
        this.dialect = dialect;
    }
    private static final int ERROR_CHARS = 2000;
    /** The row's state after an attempt; its lease ends with it (a retry is claimed again when due). */
    private static final String UPDATE_STATE = "UPDATE delivery SET status = ?, attempts = ?, status_code = ?,"
            + " error = ?, next_attempt_at = ?, lease_token = NULL, lease_until = NULL, due_at = ?,"
            + " delivered_at = COALESCE(?, delivered_at), updated_at = ? WHERE id = ? AND lease_token = ?";

    /**
     * Several attempts in one transaction (the attempt writer's group commit). Each row is updated
     * only under its held lease token, and its attempt is written only when that update took.
     */
    public boolean[] record(Connection c, List<AttemptRecord> records) throws SQLException {
        boolean[] recorded = dialect.updatesFromArrays() ? updateStatesAtOnce(c, records) : updateStates(c, records);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_attempt (delivery_id, attempt, trigger_kind,"
                + " started_at, duration_ms, url, request_headers, request_body, response_status, response_headers,"
                + " response_body, error, payload_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int batched = 0;
            for (int i = 0; i < records.size(); i++) {
                if (!recorded[i]) {
                    continue;
                }
                Attempt a = records.get(i).attempt();
                String format = records.get(i).payloadFormat();
                ps.setString(1, a.deliveryId());
                ps.setInt(2, a.attempt());
                ps.setString(3, a.trigger().label());
                ps.setLong(4, a.startedAt());
                ps.setLong(5, a.durationMs());
                ps.setString(6, StoredText.fit(a.url(), URL_CHARS));
                ps.setString(7, Json.write(StoredText.sanitize(a.requestHeaders())));
                ps.setString(8, format == null ? StoredText.sanitize(a.requestBody()) : null);
                setInt(ps, 9, a.responseStatus());
                ps.setString(10, a.responseHeaders() == null ? null : Json.write(StoredText.sanitize(a.responseHeaders())));
                ps.setString(11, StoredText.sanitize(a.responseBody()));
                ps.setString(12, StoredText.fit(a.error(), ERROR_CHARS));
                ps.setString(13, format);
                ps.addBatch();
                batched++;
            }
            if (batched > 0) {
                ps.executeBatch();
            }
        }
        lanes.finished(c, finals(records, recorded), now(records));
        return recorded;
    }

    /** The lines of ordered webhooks this log moves on as their heads finish; {@link OrderLanes#takeAdvanced}. */
    public OrderLanes lanes() {
        return lanes;
    }

    /** The deliveries whose outcome is final (true: success), among those recorded. */
    private static java.util.Map<String, Boolean> finals(List<AttemptRecord> records, boolean[] recorded) {
        java.util.Map<String, Boolean> out = new java.util.HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Outcome o = records.get(i).outcome();
            if (recorded[i] && !(o instanceof Outcome.Retry)) {
                out.put(records.get(i).attempt().deliveryId(), o instanceof Outcome.Delivered);
            }
        }
        return out;
    }

    private static long now(List<AttemptRecord> records) {
        return records.isEmpty() ? System.currentTimeMillis() : records.get(records.size() - 1).now();
    }

    private static boolean[] updateStates(Connection c, List<AttemptRecord> records) throws SQLException {
        boolean[] updated = new boolean[records.size()];
        try (PreparedStatement ps = c.prepareStatement(UPDATE_STATE)) {
            for (AttemptRecord r : records) {
                bindState(ps, r);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                updated[i] = counts[i] == 1;
            }
        }
        return updated;
    }

    /** PostgreSQL: the group's rows in one statement ({@link ArrayUpdate}), the same values as {@link #bindState}. */
    private static boolean[] updateStatesAtOnce(Connection c, List<AttemptRecord> records) throws SQLException {
        int n = records.size();
        String[] status = new String[n];
        Integer[] attempts = new Integer[n];
        Integer[] statusCode = new Integer[n];
        String[] error = new String[n];
        Long[] nextAttemptAt = new Long[n];
        Long[] dueAt = new Long[n];
        Long[] deliveredAt = new Long[n];
        Long[] updatedAt = new Long[n];
        String[] id = new String[n];
        String[] held = new String[n];
        for (int i = 0; i < n; i++) {
            AttemptRecord r = records.get(i);
            Outcome o = r.outcome();
            status[i] = o.status();
            attempts[i] = o.attempts();
            statusCode[i] = o.statusCode();
            error[i] = StoredText.fit(o.error(), ERROR_CHARS);
            nextAttemptAt[i] = nextAttemptAt(o);
            dueAt[i] = dueAt(r);
            deliveredAt[i] = deliveredAt(o);
            updatedAt[i] = r.now();
            id[i] = r.attempt().deliveryId();
            held[i] = r.heldToken();
        }
        return ArrayUpdate.run(c, "UPDATE delivery d SET status = v.status, attempts = v.attempts,"
                + " status_code = v.status_code, error = v.error, next_attempt_at = v.next_attempt_at,"
                + " lease_token = NULL, lease_until = NULL, due_at = v.due_at,"
                + " delivered_at = COALESCE(v.delivered_at, d.delivered_at), updated_at = v.updated_at"
                + " FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) AS v(status, attempts, status_code, error,"
                + " next_attempt_at, due_at, delivered_at, updated_at, id, held)"
                + " WHERE d.id = v.id AND d.lease_token = v.held RETURNING d.id",
                List.of(id), new ArrayUpdate.Column("varchar", status), new ArrayUpdate.Column("int4", attempts),
                new ArrayUpdate.Column("int4", statusCode), new ArrayUpdate.Column("varchar", error),
                new ArrayUpdate.Column("int8", nextAttemptAt), new ArrayUpdate.Column("int8", dueAt),
                new ArrayUpdate.Column("int8", deliveredAt), new ArrayUpdate.Column("int8", updatedAt),
                new ArrayUpdate.Column("varchar", id), new ArrayUpdate.Column("varchar", held));
    }

    /** A retry is due at its next attempt; a finished row is due for retention from now (V6__endpoint_lifecycle.sql). */
    private static long dueAt(AttemptRecord r) {
        return r.outcome() instanceof Outcome.Retry retry ? retry.nextAttemptAt() : r.now();
    }

    private static Long nextAttemptAt(Outcome o) {
        return o instanceof Outcome.Retry retry ? retry.nextAttemptAt() : null;
    }

    private static Long deliveredAt(Outcome o) {
        return o instanceof Outcome.Delivered delivered ? delivered.deliveredAt() : null;
    }

    /**
     * Only the delivery's new state, no attempt row: the last resort for a result whose
     * attempt row cannot be written, so the delivery is not sent again. False if the lease was lost.
     */
    public boolean recordStateOnly(Connection c, AttemptRecord r) throws SQLException {
        boolean recorded;
        try (PreparedStatement ps = c.prepareStatement(UPDATE_STATE)) {
            bindState(ps, r);
            recorded = ps.executeUpdate() == 1;
        }
        lanes.finished(c, finals(List.of(r), new boolean[] {recorded}), r.now());
        return recorded;
    }

    private static void bindState(PreparedStatement ps, AttemptRecord r) throws SQLException {
        Outcome o = r.outcome();
        ps.setString(1, o.status());
        ps.setInt(2, o.attempts());
        setInt(ps, 3, o.statusCode());
        ps.setString(4, StoredText.fit(o.error(), ERROR_CHARS));
        setLong(ps, 5, nextAttemptAt(o));
        ps.setLong(6, dueAt(r));
        setLong(ps, 7, deliveredAt(o));
        ps.setLong(8, r.now());
        ps.setString(9, r.attempt().deliveryId());
        ps.setString(10, r.heldToken());
    }

    /** A delivery's attempts in order; a body stored as a payload format is rendered from the event again. */
    public List<Attempt> read(Connection c, String deliveryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.delivery_id, a.attempt, a.trigger_kind, a.started_at,"
                + " a.duration_ms, a.url, a.request_headers, a.request_body, a.response_status, a.response_headers,"
                + " a.response_body, a.error, a.payload_format, e.id, e.type, e.created_at, e.data, e.received_at"
                + " FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id JOIN event e ON e.id = d.event_id"
                + " WHERE a.delivery_id = ? ORDER BY a.attempt")) {
            ps.setString(1, deliveryId);
            List<Attempt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int status = rs.getInt(9);
                    Integer responseStatus = rs.wasNull() ? null : status;
                    String responseHeaders = rs.getString(10);
                    String body = rs.getString(8);
                    if (body == null && rs.getString(13) != null) {
                        StoredEvent e = new StoredEvent(rs.getString(14), rs.getString(15), rs.getLong(16),
                                rs.getString(17), rs.getLong(18));
                        body = new String(PayloadRenderer.render(rs.getString(13), e), StandardCharsets.UTF_8);
                    }
                    out.add(new Attempt(rs.getString(1), rs.getInt(2), Trigger.of(rs.getString(3)), rs.getLong(4), rs.getLong(5),
                            rs.getString(6), Json.stringMap(rs.getString(7)), body, responseStatus,
                            responseHeaders == null ? null : Json.stringMap(responseHeaders), rs.getString(11),
                            rs.getString(12)));
                }
            }
            return out;
        }
    }
}
