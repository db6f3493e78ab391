package dev.herald.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;
import dev.herald.store.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The catalog as ingest sees it: every type in memory with its schema compiled once, so an event
 * of a type without a schema costs a map lookup. This instance's own writes are seen at once
 * ({@link #reload}); other instances' within {@code refreshMillis}, when the first event after that
 * finds SUM(revision) changed (one small query, by one thread, while the others go on with the copy
 * they have). Archived types are still accepted, their schema still enforced: senders that have not
 * caught up with a deletion keep working.
 */
public final class Catalog implements IngestCheck {

    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

    /** A type and its compiled schema (null: any data object). */
    public record Entry(EventType type, EventSchema schema) {
    }

    private record Snapshot(Map<String, Entry> types, long revisions, long checkedAt) {
    }

    private final Database db;
    private final EventTypeRepository repository;
    private final boolean strict;
    private final long refreshMillis;
    private final ReentrantLock loading = new ReentrantLock();
    private volatile Snapshot snapshot;

    public Catalog(Database db, EventTypeRepository repository, boolean strict, long refreshMillis) {
        this.db = db;
        this.repository = repository;
        this.strict = strict;
        this.refreshMillis = refreshMillis;
    }

    /** herald.event-types.strict: events and webhook patterns must name catalogued types. */
    public boolean strict() {
        return strict;
    }

    @Override
    public void check(String path, String type, JsonNode data) {
        Entry e = current().types().get(type);
        if (e == null) {
            if (strict) {
                throw HeraldException.invalid(path + "type", "event type \"" + type + "\" is not in the catalog, and"
                        + " herald.event-types.strict is on: add it with POST /v1/event-types first");
            }
            return;
        }
        if (e.schema() != null) {
            Optional<String> error = e.schema().firstError(data);
            if (error.isPresent()) {
                throw new HeraldException(400, "schema_mismatch", "data does not match the schema of event type \""
                        + type + "\" at " + error.get(), path + "data");
            }
        }
    }

    /** The names of the types not archived: what a new subscription pattern must match in strict mode. */
    public List<String> activeNames() {
        return current().types().values().stream().filter(e -> !e.type().archived()).map(e -> e.type().name()).toList();
    }

    /** Reads the catalog again now: after a write of this instance, so its next event sees it. */
    public void reload() {
        loading.lock();
        try {
            snapshot = load(snapshot);
        } finally {
            loading.unlock();
        }
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null) {
            reload();
            return snapshot;
        }
        if (System.currentTimeMillis() - s.checkedAt() < refreshMillis || !loading.tryLock()) {
            return s;
        }
        try {
            snapshot = load(s);
        } catch (RuntimeException e) {
            // The database away: go on with the copy there is; ingest itself will say what is wrong.
            LOG.debug("event-type catalog not refreshed: {}", e.toString());
            snapshot = new Snapshot(s.types(), s.revisions(), System.currentTimeMillis());
        } finally {
            loading.unlock();
        }
        return snapshot;
    }

    /** A fresh snapshot; schemas whose text did not change are not compiled again. */
    private Snapshot load(Snapshot previous) {
        long now = System.currentTimeMillis();
        long revisions = db.read(repository::revisions);
        if (previous != null && previous.revisions() == revisions) {
            return new Snapshot(previous.types(), revisions, now);
        }
        List<EventType> rows = db.read(repository::all);
        Map<String, Entry> types = new HashMap<>(rows.size() * 2);
        for (EventType t : rows) {
            Entry old = previous == null ? null : previous.types().get(t.name());
            EventSchema schema = null;
            if (t.schema() != null) {
                schema = old != null && t.schema().equals(old.type().schema()) ? old.schema() : compileStored(t);
            }
            types.put(t.name(), new Entry(t, schema));
        }
        return new Snapshot(Map.copyOf(types), revisions, now);
    }

    private static EventSchema compileStored(EventType t) {
        try {
            return EventSchema.parse(t.schema());
        } catch (HeraldException e) {
            // Checked when stored; a row written by hand may still be broken: its events are then not checked.
            LOG.warn("event type {}: its stored schema cannot be used, its events are not checked: {}", t.name(),
                    e.getMessage());
            return null;
        }
    }
}
