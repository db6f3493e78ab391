package dev.herald.delivery.log;

import static dev.herald.store.SqlParams.setLong;

import dev.herald.event.EventStore;
import dev.herald.event.StoredEvent;
import dev.herald.store.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SQL for the ownership of delivery rows: written pending at ingest, claimed under a lease
 * token, renewed, re-armed, handed back, or ended when their webhook is deleted. Only the
 * holder of a row's current token works on it (the tokens are delivery.flow's Leases); the attempt
 * results are written by {@link AttemptLog}.
 */
public final class DeliveryClaims {

    /**
     * A row this claim took, leased under {@code leaseToken} until {@code leaseUntil}, with what the
     * row holds; {@code event} is null when it could not be read (the row is then read back).
     */
    public record Claimed(String deliveryId, String leaseToken, long leaseUntil, String webhookId, int attempts,
                          StoredEvent event) {
    }

    private final EventStore eventStore;
    private final Dialect dialect;
    private final OrderLanes lanes = new OrderLanes();
    private final OrderControls orderControls = new OrderControls();

    /** {@code dialect}: the claim's locking and how a group of rows is leased (see claimDue). */
    public DeliveryClaims(EventStore eventStore, Dialect dialect) {
        this.eventStore = eventStore;
        this.dialect = dialect;
    }

    /** The lines of ordered webhooks (ingest, replay, manual retry and skip use them with these rows). */
    public OrderLanes lanes() {
        return lanes;
    }

    /** What the API does to those lines: blocked keys, retry and skip of a head, release. */
    public OrderControls orderControls() {
        return orderControls;
    }

    public void insertDeliveries(Connection c, List<NewDelivery> deliveries, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery (id, event_id, webhook_id, status, attempts,"
                + " next_attempt_at, lease_token, lease_until, due_at, created_at, updated_at)"
                + " VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)")) {
            for (NewDelivery d : deliveries) {
                ps.setString(1, d.id());
                ps.setString(2, d.eventId());
                ps.setString(3, d.webhookId());
                setLong(ps, 4, d.waiting() ? null : now);
                ps.setString(5, d.leaseToken());
                setLong(ps, 6, d.leaseUntil());
                ps.setLong(7, d.waiting() ? OrderLanes.WAITING : d.leaseUntil() != null ? d.leaseUntil() : now);
                ps.setLong(8, now);
                ps.setLong(9, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The scheduler's claim: due rows by the index on (status, due_at); the benchmark shows its plan. */
    public static String claimQuery(int limit) {
        return claimQuery(limit, 0);
    }

    /** The claim query passing over the rows of {@code excluded} webhooks (bound after the time). */
    static String claimQuery(int limit, int excluded) {
        // ORDER BY both index columns: H2 then reads the index in order and stops at the limit
        // ("index sorted"); ordered by due_at alone it read and sorted every due row.
        return "SELECT id, attempts, webhook_id, event_id FROM delivery WHERE status = 'pending' AND due_at <= ?"
                + (excluded == 0 ? "" : " AND webhook_id NOT IN (" + String.join(", ", Collections.nCopies(excluded, "?")) + ")")
                + " ORDER BY status, due_at FETCH FIRST " + limit + " ROWS ONLY";
    }

    /**
     * Claims up to {@code limit} pending rows that are due and not leased (or whose lease
     * expired because their owner died). Each row is taken by a conditional UPDATE, so
     * instances claiming side by side never both take a row.
     */
    public List<Claimed> claimDue(Connection c, long now, int limit, long leaseUntil, Supplier<String> tokens)
            throws SQLException {
        return claimDue(c, now, limit, leaseUntil, tokens, List.of(), webhookId -> true);
    }

    /**
     * Claims due rows, oldest first, except those of the {@code excluded} webhooks; a row that
     * {@code admit} turns down (its endpoint has had its share in this claim) is left as it is.
     */
    public List<Claimed> claimDue(Connection c, long now, int limit, long leaseUntil, Supplier<String> tokens,
                                  List<String> excluded, java.util.function.Predicate<String> admit)
            throws SQLException {
        record Row(String id, int attempts, String webhookId, String eventId) {
        }
        List<Row> rows = new ArrayList<>();
        // PostgreSQL: SKIP LOCKED lets instances claim side by side without waiting on each other.
        // H2 (one process per file) gets no FOR UPDATE: it locks every row matching the WHERE before
        // applying the limit, and a million-row backlog made each claim take minutes. Either way the
        // conditional UPDATE below is the claim: a row taken meanwhile no longer matches.
        boolean skipLocked = dialect.claimsSkipLocked();
        if (skipLocked) {
            readClaimIndexInOrder(c);
        }
        try (PreparedStatement ps = c.prepareStatement(claimQuery(limit, excluded.size())
                + (skipLocked ? " FOR UPDATE SKIP LOCKED" : ""))) {
            ps.setLong(1, now);
            for (int i = 0; i < excluded.size(); i++) {
                ps.setString(i + 2, excluded.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = new Row(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4));
                    if (admit.test(r.webhookId())) {
                        rows.add(r);
                    }
                }
            }
        }
        List<Claimed> claimed = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return claimed;
        }
        // The events in a few queries, so the deliver route has no row to read per delivery.
        Map<String, StoredEvent> events = eventStore.findEvents(c, rows.stream().map(Row::eventId).distinct().toList());
        List<Claimed> candidates = new ArrayList<>(rows.size());
        for (Row r : rows) {
            candidates.add(new Claimed(r.id(), tokens.get(), leaseUntil, r.webhookId(), r.attempts(),
                    events.get(r.eventId())));
        }
        boolean[] taken = dialect.updatesFromArrays() ? leaseAtOnce(c, candidates, leaseUntil, now)
                : lease(c, candidates, leaseUntil, now);
        for (int i = 0; i < taken.length; i++) {
            if (taken[i]) {
                claimed.add(candidates.get(i));
            }
        }
        return claimed;
    }

    /**
     * PostgreSQL: the claim walks its index in order. Every finished delivery leaves a dead
     * (pending, due_at) entry in the claim's range; an index scan marks each one dead the first
     * time it meets it and skips it after, a bitmap scan never does and re-reads them all, every
     * claim. Without fresh statistics (autovacuum behind, or off) the planner picks the bitmap
     * scan: 803 million index entries read in 1,719 claims of one benchmark run (docs/operations.md).
     * SET LOCAL ends with the claim's transaction.
     */
    private static void readClaimIndexInOrder(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL enable_bitmapscan = off");
        }
    }

    /**
     * Each row is taken only if still pending and due: a row claimed meanwhile by a peer no longer is.
     * H2 keeps a statement's plan per connection (its query cache): planned while the table was
     * small, {@code due_at <= ?} made it walk the claim index for every row, which a backlog of
     * 100,000 due retries turned into 140 ms a row and claims of over a minute (RetryBacklogTest).
     * {@code due_at + 0} is no index range, so the row is found by its primary key at any size.
     */
    private static boolean[] lease(Connection c, List<Claimed> tickets, long leaseUntil, long now) throws SQLException {
        boolean[] taken = new boolean[tickets.size()];
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET lease_token = ?, lease_until = ?, due_at = ?"
                + " WHERE id = ? AND status = 'pending' AND due_at + 0 <= ?")) {
            for (Claimed t : tickets) {
                ps.setString(1, t.leaseToken());
                ps.setLong(2, leaseUntil);
                ps.setLong(3, leaseUntil);
                ps.setString(4, t.deliveryId());
                ps.setLong(5, now);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                taken[i] = counts[i] == 1;
            }
        }
        return taken;
    }

    /** PostgreSQL: the same in one statement ({@link ArrayUpdate}). */
    private static boolean[] leaseAtOnce(Connection c, List<Claimed> tickets, long leaseUntil, long now)
            throws SQLException {
        List<String> ids = tickets.stream().map(Claimed::deliveryId).toList();
        return ArrayUpdate.run(c, "UPDATE delivery d SET lease_token = v.token, lease_until = ?, due_at = ?"
                + " FROM unnest(?, ?) AS v(id, token) WHERE d.id = v.id AND d.status = 'pending' AND d.due_at <= ?"
                + " RETURNING d.id", ids, ArrayUpdate.Column.same(leaseUntil), ArrayUpdate.Column.same(leaseUntil),
                new ArrayUpdate.Column("varchar", ids.toArray()),
                new ArrayUpdate.Column("varchar", tickets.stream().map(Claimed::leaseToken).toArray()),
                ArrayUpdate.Column.same(now));
    }

    public Optional<WorkState> workState(Connection c, String deliveryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.status, d.attempts, d.lease_token, d.webhook_id,"
                + " e.id, e.type, e.created_at, e.data, e.received_at, d.lease_until"
                + " FROM delivery d JOIN event e ON e.id = d.event_id WHERE d.id = ?")) {
            ps.setString(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new WorkState(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(10),
                        rs.getString(4), new StoredEvent(rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getLong(9))));
            }
        }
    }

    /** Extends the lease before an attempt; false when the row is no longer ours to work on. */
    public boolean renewLease(Connection c, String deliveryId, String token, long leaseUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET lease_until = ?, due_at = ?"
                + " WHERE id = ? AND lease_token = ? AND status = 'pending'")) {
            ps.setLong(1, leaseUntil);
            ps.setLong(2, leaseUntil);
            ps.setString(3, deliveryId);
            ps.setString(4, token);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Makes a finished delivery due now under a new lease (manual retry, recovery).
     * False when it is still pending.
     */
    public boolean rearm(Connection c, String deliveryId, String token, long leaseUntil, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET status = 'pending', next_attempt_at = ?,"
                + " lease_token = ?, lease_until = ?, due_at = ?, updated_at = ? WHERE id = ? AND status <> 'pending'")) {
            ps.setLong(1, now);
            ps.setString(2, token);
            ps.setLong(3, leaseUntil);
            ps.setLong(4, leaseUntil);
            ps.setLong(5, now);
            ps.setString(6, deliveryId);
            return ps.executeUpdate() == 1;
        }
    }

    /** On clean shutdown: hand this instance's rows back so the next start (or a peer) takes them at once. */
    public int releaseLeases(Connection c, String tokenPattern) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET lease_token = NULL, lease_until = NULL,"
                + " due_at = next_attempt_at WHERE status = 'pending' AND lease_token LIKE ?")) {
            ps.setString(1, tokenPattern);
            return ps.executeUpdate();
        }
    }

    /** A deleted webhook's pending deliveries end as failed, so the log says what happened. */
    public int cancelPending(Connection c, String webhookId, long now) throws SQLException {
        return cancelPending(c, webhookId, now, "webhook deleted");
    }

    /** As {@link #cancelPending(Connection, String, long)}, with the error the deliveries end with (an application deleted). */
    public int cancelPending(Connection c, String webhookId, long now, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET status = 'failed', error = ?,"
                + " next_attempt_at = NULL, lease_token = NULL, lease_until = NULL, due_at = ?, updated_at = ?"
                + " WHERE webhook_id = ? AND status = 'pending'")) {
            ps.setString(1, error);
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.setString(4, webhookId);
            return ps.executeUpdate();
        }
    }
}
