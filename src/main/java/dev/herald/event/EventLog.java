package dev.herald.event;

import dev.herald.store.BoundQuery;
import dev.herald.store.Dialect;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The event log in the order events were received: the API's listing (newest first) and a
 * replay's window (oldest first). Both read the index {@code event_received (received_at, id)}.
 */
public final class EventLog {

    /**
     * A place in the log. Event ids may be any string a client chose, so they do not sort by time:
     * the log is ordered by (received_at, id), and a cursor names both.
     */
    public record Position(long receivedAt, String id) {

        /** Opaque to clients: base64url of {@code <received_at>:<id>}. */
        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((receivedAt + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        /** Empty when {@code cursor} is not one {@link #encode} made. */
        public static Optional<Position> decode(String cursor) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = s.indexOf(':');
                if (colon < 1 || colon == s.length() - 1) {
                    return Optional.empty();
                }
                return Optional.of(new Position(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * What the listing narrows to; null fields do not filter. {@code until} is exclusive.
     * {@code applicationId}: that application's events alone, from the index {@code event_application}.
     */
    public record Filter(String type, Long since, Long until, String applicationId) {

        public Filter(String type, Long since, Long until) {
            this(type, since, until, null);
        }
    }

    /** An event as a replay needs it: which one, and its type to match the subscription. */
    public record Ref(String id, String type, long receivedAt) {
    }

    /** A page; {@code next} is null when nothing is left. */
    public record Page(List<StoredEvent> rows, Position next) {
    }

    /** Rows a page reads at most when it filters by type (as DeliverySearch.SCAN_LIMIT, for the same reason). */
    public static final int SCAN_LIMIT = 20_000;

    private static final String COLUMNS = "id, type, created_at, data, received_at";

    private final Dialect dialect;
    private final int scanLimit;

    public EventLog(Dialect dialect) {
        this(dialect, SCAN_LIMIT);
    }

    /** {@code scanLimit}: see {@link #SCAN_LIMIT} (tests use a small one). */
    public EventLog(Dialect dialect, int scanLimit) {
        this.dialect = dialect;
        this.scanLimit = scanLimit;
    }

    /** Newest first, after {@code after} (the last row of the previous page) when given. */
    public Page search(Connection c, Filter f, Position after, int limit) throws SQLException {
        Position floor = f.type() != null ? floor(c, dialect, f, after, scanLimit) : null;
        List<StoredEvent> rows = new ArrayList<>();
        try (PreparedStatement ps = newestFirstQuery(f, after, floor, limit + 1).prepare(c, dialect); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
            }
        }
        if (rows.size() > limit) {
            StoredEvent last = rows.get(limit - 1);
            return new Page(rows.subList(0, limit), new Position(last.receivedAt(), last.id()));
        }
        return new Page(rows, floor);
    }

    /** The queries {@link #search} runs (it runs the first to build the second): for a tool that shows their plans. */
    public static List<BoundQuery> queries(Connection c, Dialect dialect, Filter f, Position after, int limit) throws SQLException {
        List<BoundQuery> out = new ArrayList<>();
        if (f.type() != null) {
            out.add(floorQuery(f, after, SCAN_LIMIT));
        }
        out.add(newestFirstQuery(f, after, f.type() != null ? floor(c, dialect, f, after, SCAN_LIMIT) : null, limit + 1));
        return out;
    }

    /** The {@code scanLimit}th event along the walk, where a page stops reading; null when there are fewer. */
    private static Position floor(Connection c, Dialect dialect, Filter f, Position after, int scanLimit) throws SQLException {
        try (PreparedStatement ps = floorQuery(f, after, scanLimit).prepare(c, dialect); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Position(rs.getLong(1), rs.getString(2)) : null;
        }
    }

    static BoundQuery floorQuery(Filter f, Position after, int scanLimit) {
        return walk(new BoundQuery.Builder("SELECT received_at, id FROM event WHERE 1 = 1"), f, after)
                .add(newestFirst(f) + " OFFSET " + (scanLimit - 1) + " ROWS FETCH FIRST 1 ROW ONLY").build();
    }

    /** {@code floor}: the oldest event the page may read (inclusive), or null. */
    static BoundQuery newestFirstQuery(Filter f, Position after, Position floor, int limit) {
        BoundQuery.Builder q = walk(new BoundQuery.Builder("SELECT " + COLUMNS + " FROM event WHERE 1 = 1"), f, after);
        if (floor != null) {
            q.add(" AND received_at >= ? AND (received_at > ? OR id >= ?)", floor.receivedAt(), floor.receivedAt(), floor.id());
        }
        if (f.type() != null) {
            q.add(" AND type = ?", f.type());
        }
        return q.add(newestFirst(f) + " FETCH FIRST " + limit + " ROWS ONLY").build();
    }

    /** With an application, by all three columns of event_application, so that H2 walks its part of that index. */
    private static String newestFirst(Filter f) {
        return f.applicationId() != null ? " ORDER BY application_id DESC, received_at DESC, id DESC"
                : " ORDER BY received_at DESC, id DESC";
    }

    /** The walk down event_received (event_application with an application): from the cursor to the window's start. */
    private static BoundQuery.Builder walk(BoundQuery.Builder q, Filter f, Position after) {
        if (f.applicationId() != null) {
            q.add(" AND application_id = ?", f.applicationId());
        }
        window(q, f.since(), f.until());
        if (after != null) {
            // The first condition is the index range; row values ((a, b) < (?, ?)) H2 does not use in an index.
            q.add(" AND received_at <= ? AND (received_at < ? OR id < ?)", after.receivedAt(), after.receivedAt(), after.id());
        }
        return q;
    }

    /** Events received in [since, until), oldest first, after {@code after}: a replay's next page. */
    public static BoundQuery oldestFirstQuery(long since, long until, Position after, int limit) {
        BoundQuery.Builder q = window(new BoundQuery.Builder("SELECT id, type, received_at FROM event WHERE 1 = 1"), since, until);
        if (after != null) {
            q.add(" AND received_at >= ? AND (received_at > ? OR id > ?)", after.receivedAt(), after.receivedAt(), after.id());
        }
        return q.add(" ORDER BY received_at, id FETCH FIRST " + limit + " ROWS ONLY").build();
    }

    public List<Ref> oldestFirst(Connection c, long since, long until, Position after, int limit) throws SQLException {
        List<Ref> out = new ArrayList<>();
        try (PreparedStatement ps = oldestFirstQuery(since, until, after, limit).prepare(c, dialect); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Ref(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return out;
    }

    private static BoundQuery.Builder window(BoundQuery.Builder q, Long since, Long until) {
        if (since != null) {
            q.add(" AND received_at >= ?", since);
        }
        if (until != null) {
            q.add(" AND received_at < ?", until);
        }
        return q;
    }
}
