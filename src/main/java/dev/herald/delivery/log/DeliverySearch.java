package dev.herald.delivery.log;

import dev.herald.store.BoundQuery;
import dev.herald.store.Dialect;
import dev.herald.store.Ids;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery log across webhooks, newest first. Delivery ids are time-ordered, so the primary
 * key read backwards is newest first and a time bound is also a range of ids; a webhook's rows
 * come from the index {@code delivery_webhook (webhook_id, id)}; an event type is checked on the
 * event row by its primary key. No index of its own: every index on delivery is written by every
 * ingest (see docs/operations.md, "Searching the delivery log").
 */
public final class DeliverySearch {

    /**
     * How much later than its created_at a delivery's id may have been made: the id is made after
     * created_at is read, in the same transaction; this much covers a long pause or a clock that
     * stepped back, and bounds how far past {@code until} the first page reads and skips.
     */
    static final long ID_AFTER_CREATED_MILLIS = 60_000;

    /**
     * Rows a page reads at most when status or event_type filter: a rare or absent value would
     * otherwise read the whole log in one request (seconds per million rows on H2). The page then
     * ends early, has_more true, and its cursor continues where the reading stopped.
     */
    public static final int SCAN_LIMIT = 20_000;

    /**
     * What the search narrows to; null fields do not filter. since/until compare created_at, until exclusive.
     * {@code applicationId}: that application's deliveries alone, from the index {@code delivery_application}.
     */
    public record Filter(String status, String webhookId, String eventType, Long since, Long until, String applicationId) {

        public Filter(String status, String webhookId, String eventType, Long since, Long until) {
            this(status, webhookId, eventType, since, until, null);
        }

        /** Filters checked row by row along the walk, which no index narrows. */
        boolean checkedPerRow() {
            return status != null || eventType != null;
        }
    }

    /** A page; {@code nextCursor} is null when nothing is left. */
    public record Page(List<Delivery> rows, String nextCursor) {
    }

    private final Dialect dialect;
    private final int scanLimit;

    public DeliverySearch(Dialect dialect) {
        this(dialect, SCAN_LIMIT);
    }

    /** {@code scanLimit}: see {@link #SCAN_LIMIT} (tests use a small one). */
    public DeliverySearch(Dialect dialect, int scanLimit) {
        this.dialect = dialect;
        this.scanLimit = scanLimit;
    }

    public Page search(Connection c, Filter f, String cursor, int limit) throws SQLException {
        String floor = f.checkedPerRow() ? floor(c, dialect, f, cursor, scanLimit) : null;
        List<Delivery> rows;
        try (PreparedStatement ps = query(f, cursor, floor, limit + 1).prepare(c, dialect)) {
            rows = DeliveryReads.readDeliveries(ps);
        }
        if (rows.size() > limit) {
            return new Page(rows.subList(0, limit), rows.get(limit - 1).id());
        }
        return new Page(rows, floor);
    }

    /** The queries {@link #search} runs (it runs the first to build the second): for a tool that shows their plans. */
    public static List<BoundQuery> queries(Connection c, Dialect dialect, Filter f, String cursor, int limit) throws SQLException {
        List<BoundQuery> out = new ArrayList<>();
        if (f.checkedPerRow()) {
            out.add(floorQuery(f, cursor, SCAN_LIMIT));
        }
        out.add(query(f, cursor, f.checkedPerRow() ? floor(c, dialect, f, cursor, SCAN_LIMIT) : null, limit + 1));
        return out;
    }

    /** The id of the {@code scanLimit}th row along the walk, where a page stops reading; null when there are fewer. */
    private static String floor(Connection c, Dialect dialect, Filter f, String cursor, int scanLimit) throws SQLException {
        try (PreparedStatement ps = floorQuery(f, cursor, scanLimit).prepare(c, dialect); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static BoundQuery floorQuery(Filter f, String cursor, int scanLimit) {
        BoundQuery.Builder q = walk(new BoundQuery.Builder("SELECT d.id FROM delivery d WHERE 1 = 1"), f, cursor);
        return order(q, f).add(" OFFSET " + (scanLimit - 1) + " ROWS FETCH FIRST 1 ROW ONLY").build();
    }

    /** {@code floor}: the lowest id the page may read (inclusive), or null. */
    static BoundQuery query(Filter f, String cursor, String floor, int limit) {
        BoundQuery.Builder q = walk(new BoundQuery.Builder("SELECT " + DeliveryReads.columns("d.")
                + " FROM delivery d WHERE 1 = 1"), f, cursor);
        if (floor != null) {
            q.add(" AND d.id >= ?", floor);
        }
        if (f.status() != null) {
            // On purpose not "d.status = ?", which the claim index (status, due_at) serves: H2 then reads
            // every row of that status and sorts them before the limit (status=success: nearly the table).
            q.add(" AND LOWER(d.status) = ?", f.status());
        }
        if (f.eventType() != null) {
            // Checked per delivery on the event's primary key as the walk goes. Not a join nor EXISTS,
            // which the planners turn into one: H2 then started from a scan of every event, PostgreSQL
            // hashed every event of the type (a scan of the event table) even for a walk of a few rows.
            q.add(" AND (SELECT e.type FROM event e WHERE e.id = d.event_id) = ?", f.eventType());
        }
        return order(q, f).add(" FETCH FIRST " + limit + " ROWS ONLY").build();
    }

    /**
     * The walk every search makes: one index in id order, newest first, from the cursor down to the
     * window's start; a page stops when it is full. The primary key, or with webhook_id that webhook's
     * part of delivery_webhook.
     */
    private static BoundQuery.Builder walk(BoundQuery.Builder q, Filter f, String cursor) {
        if (f.webhookId() != null) {
            q.add(" AND d.webhook_id = ?", f.webhookId());
        }
        if (f.applicationId() != null) {
            q.add(" AND d.application_id = ?", f.applicationId());
        }
        if (cursor != null) {
            q.add(" AND d.id < ?", cursor);
        }
        // created_at decides; the id bounds it implies let the walk start and stop at the window.
        // An id is made at or after its created_at (Ids never goes back in time), so since is exact
        // as an id bound; until gets the slack above.
        if (f.since() != null) {
            q.add(" AND d.id >= ? AND d.created_at >= ?", Ids.at("del_", f.since()), f.since());
        }
        if (f.until() != null) {
            q.add(" AND d.id < ? AND d.created_at < ?", Ids.at("del_", saturatedAdd(f.until(), ID_AFTER_CREATED_MILLIS)),
                    f.until());
        }
        return q;
    }

    /** By both columns of delivery_webhook when it is walked: ordered by id alone, H2 reads all the webhook's rows and sorts them. */
    private static BoundQuery.Builder order(BoundQuery.Builder q, Filter f) {
        if (f.webhookId() != null) {
            return q.add(" ORDER BY d.webhook_id DESC, d.id DESC");
        }
        // The same for delivery_application: one application's part of it, newest first.
        return q.add(f.applicationId() != null ? " ORDER BY d.application_id DESC, d.id DESC" : " ORDER BY d.id DESC");
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
