package dev.herald.subscription;

import dev.herald.filter.FilterCache;
import dev.herald.signing.SignatureSpec;
import dev.herald.store.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** SQL for webhooks and their subscription patterns. Secrets are sealed on write and opened on read ({@link StoredSecrets}). */
public final class WebhookRepository {

    private final StoredSecrets secrets;
    /** Compiled payload filters: a read compiles a webhook's filter only when its text changed. */
    private final FilterCache filters = new FilterCache();

    /** Secrets stored as given (tests, tools). */
    public WebhookRepository() {
        this(StoredSecrets.plain());
    }

    public WebhookRepository(StoredSecrets secrets) {
        this.secrets = secrets;
    }

    /** Loads a webhook by id; the SQL part of {@link #findCached}. */
    @FunctionalInterface
    public interface Loader {
        Optional<Webhook> load(String id) throws SQLException;
    }

    /**
     * The deliver route reads a webhook per delivery; it is kept here for a second. Changes
     * made through this instance drop the entry at once; other instances see them within
     * {@link #CACHE_MILLIS}.
     */
    private static final long CACHE_MILLIS = 1000;
    private record Cached(Optional<Webhook> webhook, long until) {
    }
    private final java.util.concurrent.ConcurrentHashMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Ingest reads the webhooks an event goes to just before their deliveries are sent: kept here, the
     * deliver route finds them without a second read (with many webhooks, each is rarely in the cache otherwise).
     */
    private void remember(Webhook w) {
        cache.put(w.id(), new Cached(Optional.of(w), System.currentTimeMillis() + CACHE_MILLIS));
    }

    public Optional<Webhook> findCached(Loader loader, String id) throws SQLException {
        long now = System.currentTimeMillis();
        Cached c = cache.get(id);
        if (c != null && c.until() > now) {
            return c.webhook();
        }
        Optional<Webhook> w = loader.load(id);
        cache.put(id, new Cached(w, now + CACHE_MILLIS));
        return w;
    }

    /** Drops the cached copy of a webhook changed outside {@link #update} ({@link WebhookStates}). */
    void forget(String id) {
        cache.remove(id);
    }

    /** The URL of a webhook the cache holds, however old; null when it holds none. No database read. */
    public String cachedUrl(String id) {
        Cached c = cache.get(id);
        return c == null ? null : c.webhook().map(Webhook::url).orElse(null);
    }

    /** Every webhook's id and URL (the scheduler maps saturated endpoints to webhooks with it). */
    public java.util.Map<String, String> urls(Connection c) throws SQLException {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, url FROM webhook");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static final String COLUMNS = "id, url, events, secret, previous_secrets, active, name, description,"
            + " retry_policy, retry_schedule, signature, payload_format, event_type_header, headers,"
            + " transform, disabled_reason, disabled_at, created_at, updated_at, rate_limit, ordering, application_id, filter, tls, auth";

    public void insert(Connection c, Webhook w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bindFields(ps, w, 2);
            ps.setString(1, w.id());
            ps.setString(i++, w.applicationId());
            ps.setString(i++, w.filter() == null ? null : w.filter().text());
            ps.setString(i++, secrets.tlsColumn(w.tls()));
            ps.setString(i, secrets.authColumn(w.auth()));
            ps.executeUpdate();
        }
        writeSubscriptions(c, w);
    }

    public void update(Connection c, Webhook w) throws SQLException {
        cache.remove(w.id());
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook SET url = ?, events = ?, secret = ?,"
                + " previous_secrets = ?, active = ?, name = ?, description = ?,"
                + " retry_policy = ?, retry_schedule = ?, signature = ?, payload_format = ?, event_type_header = ?,"
                + " headers = ?, transform = ?, disabled_reason = ?, disabled_at = ?, created_at = ?, updated_at = ?,"
                + " rate_limit = ?, ordering = ?, filter = ?, tls = ?, auth = ? WHERE id = ?")) {
            int i = bindFields(ps, w, 1);
            ps.setString(i++, w.filter() == null ? null : w.filter().text());
            ps.setString(i++, secrets.tlsColumn(w.tls()));
            ps.setString(i++, secrets.authColumn(w.auth()));
            ps.setString(i, w.id());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_subscription WHERE webhook_id = ?")) {
            ps.setString(1, w.id());
            ps.executeUpdate();
        }
        writeSubscriptions(c, w);
    }

    public boolean delete(Connection c, String id) throws SQLException {
        cache.remove(id);
        filters.forget(id);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** The ids of an application's webhooks (to delete them with it). */
    public List<String> idsOf(Connection c, String applicationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM webhook WHERE application_id = ? ORDER BY id")) {
            ps.setString(1, applicationId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    public Optional<Webhook> find(Connection c, String id) throws SQLException {
        return find(c, id, "");
    }

    /**
     * Reads the webhook and locks its row until the transaction ends: a concurrent rotation waits
     * for this one and then sees its result (else one of the two would lose a previous secret).
     */
    public Optional<Webhook> findForUpdate(Connection c, String id) throws SQLException {
        return find(c, id, " FOR UPDATE");
    }

    private Optional<Webhook> find(Connection c, String id, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook WHERE id = ?" + lock)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Webhooks in id (creation) order after {@code cursor}; returns up to {@code limit}. */
    public List<Webhook> list(Connection c, String cursor, int limit) throws SQLException {
        return list(c, null, cursor, limit);
    }

    /** As {@link #list(Connection, String, int)}, of one application only when {@code applicationId} is given. */
    public List<Webhook> list(Connection c, String applicationId, String cursor, int limit) throws SQLException {
        String where = applicationId == null ? (cursor == null ? "" : " WHERE id > ?")
                : " WHERE application_id = ?" + (cursor == null ? "" : " AND id > ?");
        String sql = "SELECT " + COLUMNS + " FROM webhook" + where + " ORDER BY id FETCH FIRST " + limit + " ROWS ONLY";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (applicationId != null) {
                ps.setString(i++, applicationId);
            }
            if (cursor != null) {
                ps.setString(i, cursor);
            }
            List<Webhook> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /** Active webhooks subscribed to {@code type} exactly, by '*' or by a prefix pattern. */
    public List<Webhook> activeMatching(Connection c, String type) throws SQLException {
        List<String> patterns = EventTypes.patternsMatching(type);
        String marks = String.join(", ", java.util.Collections.nCopies(patterns.size(), "?"));
        String sql = "SELECT " + prefixed("w.") + " FROM webhook w WHERE w.active = TRUE AND w.id IN"
                + " (SELECT s.webhook_id FROM webhook_subscription s WHERE s.pattern IN (" + marks + "))"
                + " ORDER BY w.id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < patterns.size(); i++) {
                ps.setString(i + 1, patterns.get(i));
            }
            List<Webhook> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /**
     * As {@link #activeMatching(Connection, String)}, of one application's webhooks ({@code application}
     * null: the operator's own, those of no application). An application's are read from its part of the
     * index webhook_application, each checked on its subscriptions' primary key: the cost is that
     * application's webhooks, however many others subscribe to the type. The operator's own start from
     * the pattern index, as before applications.
     */
    public List<Webhook> activeMatching(Connection c, String type, String application) throws SQLException {
        List<String> patterns = EventTypes.patternsMatching(type);
        String marks = String.join(", ", java.util.Collections.nCopies(patterns.size(), "?"));
        String sql = application == null
                ? "SELECT " + prefixed("w.") + " FROM webhook w WHERE w.active = TRUE AND w.application_id IS NULL"
                        + " AND w.id IN (SELECT s.webhook_id FROM webhook_subscription s WHERE s.pattern IN (" + marks + "))"
                        + " ORDER BY w.id"
                : "SELECT " + prefixed("w.") + " FROM webhook w WHERE w.application_id = ? AND w.active = TRUE"
                        + " AND EXISTS (SELECT 1 FROM webhook_subscription s WHERE s.webhook_id = w.id"
                        + " AND s.pattern IN (" + marks + ")) ORDER BY w.application_id, w.id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (application != null) {
                ps.setString(i++, application);
            }
            for (String p : patterns) {
                ps.setString(i++, p);
            }
            List<Webhook> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /** The active webhooks of several applications in one query (a batch's), by application id, in id order. */
    public java.util.Map<String, List<Webhook>> activeOfApplications(Connection c, java.util.Collection<String> applications)
            throws SQLException {
        java.util.Map<String, List<Webhook>> out = new java.util.HashMap<>();
        List<String> all = new ArrayList<>(applications);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + prefixed("w.") + " FROM webhook w"
                    + " WHERE w.application_id IN (" + marks + ") AND w.active = TRUE ORDER BY w.application_id, w.id")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Webhook w = read(rs);
                        remember(w);
                        out.computeIfAbsent(w.applicationId(), k -> new ArrayList<>()).add(w);
                    }
                }
            }
        }
        return out;
    }

    private static String prefixed(String alias) {
        StringBuilder b = new StringBuilder();
        for (String col : COLUMNS.split(",")) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(alias).append(col.trim());
        }
        return b.toString();
    }

    private void writeSubscriptions(Connection c, Webhook w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO webhook_subscription (webhook_id, pattern) VALUES (?, ?)")) {
            for (String pattern : new LinkedHashSet<>(w.events())) {
                ps.setString(1, w.id());
                ps.setString(2, pattern);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Every column but the id, the application (set once, at insert), the filter, tls and auth; returns the next index. */
    private int bindFields(PreparedStatement ps, Webhook w, int i) throws SQLException {
        ps.setString(i++, w.url());
        ps.setString(i++, Json.write(w.events()));
        ps.setString(i++, secrets.secretColumn(w.secret()));
        ps.setString(i++, secrets.previousColumn(w.previousSecrets(), System.currentTimeMillis()));
        ps.setBoolean(i++, w.active());
        ps.setString(i++, w.name());
        ps.setString(i++, w.description());
        ps.setString(i++, w.retryPolicy());
        ps.setString(i++, w.retrySchedule());
        ps.setString(i++, w.signature().toStoredJson());
        ps.setString(i++, w.payloadFormat());
        ps.setString(i++, w.eventTypeHeader());
        ps.setString(i++, secrets.headersColumn(w.headers()));
        ps.setString(i++, w.transform());
        ps.setString(i++, w.disabled() == null ? null : w.disabled().reason());
        dev.herald.store.SqlParams.setLong(ps, i++, w.disabled() == null ? null : w.disabled().at());
        ps.setLong(i++, w.createdAt());
        ps.setLong(i++, w.updatedAt());
        dev.herald.store.SqlParams.setLong(ps, i++, w.rateLimit() == null ? null : (long) w.rateLimit().perSecond());
        ps.setString(i++, w.ordering() == null ? null : w.ordering().toStored());
        return i;
    }

    private Webhook read(ResultSet rs) throws SQLException {
        return new Webhook(
                rs.getString(1),
                rs.getString(2),
                Json.stringList(rs.getString(3)),
                secrets.secret(rs.getString(4)),
                secrets.previous(rs.getString(5)),
                rs.getBoolean(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                SignatureSpec.fromStoredJson(rs.getString(11)),
                rs.getString(12),
                rs.getString(13),
                secrets.headers(rs.getString(14)),
                rs.getString(15),
                RateLimit.ofStored(rs.getInt(20), rs.wasNull()),
                rs.getString(16) == null ? null : new Webhook.Disabled(rs.getString(16), rs.getLong(17)),
                rs.getLong(18),
                rs.getLong(19),
                Ordering.fromStored(rs.getString(21)),
                rs.getString(22),
                filters.compiled(rs.getString(1), rs.getString(23)),
                secrets.tls(rs.getString(24)),
                secrets.auth(rs.getString(25)));
    }
}
