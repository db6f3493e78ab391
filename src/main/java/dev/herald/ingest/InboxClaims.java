package dev.herald.ingest;

import dev.herald.store.Database;
import dev.herald.store.StoreException;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which instance reads which inbox file, for several instances on one inbox folder: the
 * idempotent repository of the file source's {@code readLock=idempotent} (routes/file-source.yaml),
 * in table {@code inbox_claim} of the shared database. A claim is an insert, or the update of a
 * row as it was last read, each one conditional statement: of two instances asking at once
 * exactly one wins. While it reads the file the owner pushes {@code held_until} forward every
 * third of herald.inbox.claim-timeout; an instance killed while reading stops doing so, and a
 * peer takes the file over once it has seen the claim expired and unchanged for a whole timeout.
 * The same instance started again takes its files back at once. With the database away no file
 * is claimed: files wait in the inbox.
 */
public final class InboxClaims extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(InboxClaims.class);
    private static final long STALE_MILLIS = 24 * 3600 * 1000L;

    private final Database db;
    private final long timeoutMillis;
    private final ScheduledExecutorService heartbeat;
    private final String instance;
    private final String owner;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Expired claims of others, as first seen: taken over once unchanged for a whole timeout. */
    private final Map<String, Claim> expired = new ConcurrentHashMap<>();

    /**
     * {@code instance}: this instance's lasting id (kept in its data directory). Claims are
     * owned by that id and this run: a restart after a kill -9 takes its own files back at once.
     * {@code name} (herald.instance.id) is only for whoever reads the table.
     */
    public InboxClaims(Database db, long timeoutMillis, ScheduledExecutorService heartbeat, String instance, String name) {
        this.db = db;
        this.timeoutMillis = timeoutMillis;
        this.heartbeat = heartbeat;
        this.instance = instance;
        String shortName = name.length() > 60 ? name.substring(name.length() - 60) : name;
        this.owner = instance + "/" + shortName + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Claims the file: true when this instance is to read it. */
    @Override
    public boolean add(String key) {
        // Twice at most: an expired row may be deleted (renew) between the insert and the update.
        boolean claimed = insert(key) || takeOver(key) || insert(key);
        if (claimed) {
            held.add(key);
        }
        return claimed;
    }

    private boolean insert(String key) {
        try {
            // NOT EXISTS: a file held by a peer is no failed insert (an ERROR line in PostgreSQL's log
            // at every poll). Two instances inserting at once: one gets a duplicate key, which is a no.
            return db.inRelaxedTransaction(c -> update(c.prepareStatement(
                    "INSERT INTO inbox_claim (file_key, owner, held_until, done) SELECT CAST(? AS VARCHAR(1024)), "
                    + "CAST(? AS VARCHAR(100)), CAST(? AS BIGINT), FALSE WHERE NOT EXISTS "
                    + "(SELECT 1 FROM inbox_claim WHERE file_key = ?)"),
                    key, owner, System.currentTimeMillis() + timeoutMillis, key)) == 1;
        } catch (StoreException e) {
            if (Database.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Takes the claim of a file dropped again after it was done, one handed back (a clean stop, a
     * restart), or one whose owner stopped renewing it: only once this instance has seen it expired
     * and unchanged for a whole timeout. After a database outage (nobody could renew) its owner,
     * renewing every third of a timeout, then moves it first and keeps its file.
     */
    private boolean takeOver(String key) {
        long now = System.currentTimeMillis();
        Claim row = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT owner, held_until, done FROM inbox_claim WHERE file_key = ?")) {
                ps.setString(1, key);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? new Claim(rs.getString(1), rs.getLong(2), rs.getBoolean(3), now) : null;
                }
            }
        });
        if (row == null || row.heldUntil() >= now) {
            expired.remove(key);
            return false;
        }
        if (!row.done() && row.heldUntil() > 0) {
            Claim seen = expired.putIfAbsent(key, row);
            if (seen == null || !seen.sameAs(row)) {
                expired.put(key, row);
                return false;
            }
            if (now - seen.seenAt() < timeoutMillis) {
                return false;
            }
        }
        expired.remove(key);
        boolean taken = db.inRelaxedTransaction(c -> update(c.prepareStatement(
                "UPDATE inbox_claim SET owner = ?, held_until = ?, done = FALSE WHERE file_key = ? AND owner = ? AND held_until = ?"),
                owner, now + timeoutMillis, key, row.owner(), row.heldUntil())) == 1;
        if (taken && !row.done() && row.heldUntil() > 0) {
            LOG.info("Inbox file {}: the claim of {} expired unrenewed, taken over by {}", key, row.owner(), owner);
        }
        return taken;
    }

    /** A claim as this instance saw it, and when. */
    private record Claim(String owner, long heldUntil, boolean done, long seenAt) {
        boolean sameAs(Claim other) {
            return owner.equals(other.owner) && heldUntil == other.heldUntil && done == other.done;
        }
    }

    /** Done with the file (moved to .done/ or .error/, or left for a retry): see {@link #release}. */
    @Override
    public boolean remove(String key) {
        return release(key);
    }

    @Override
    public boolean confirm(String key) {
        return release(key);
    }

    /**
     * Stops renewing the claim and keeps it one more timeout: a peer that listed the file just
     * before it moved still skips it. The same file (name, size, modified time) dropped again is
     * read after that.
     */
    private boolean release(String key) {
        held.remove(key);
        long until = System.currentTimeMillis() + timeoutMillis;
        return db.inRelaxedTransaction(c -> update(c.prepareStatement(
                "UPDATE inbox_claim SET held_until = ?, done = TRUE WHERE file_key = ? AND owner = ?"), until, key, owner)) == 1;
    }

    @Override
    public boolean contains(String key) {
        long now = System.currentTimeMillis();
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM inbox_claim WHERE file_key = ? AND held_until >= ?")) {
                ps.setString(1, key);
                ps.setLong(2, now);
                try (var rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Not used by the read lock; forgets this instance's claims. */
    @Override
    public void clear() {
        held.clear();
        db.inRelaxedTransaction(c -> update(c.prepareStatement("DELETE FROM inbox_claim WHERE owner = ?"), owner));
    }

    /** Renews the claims held, and deletes the rows nobody needs any more (of any instance). */
    void renew() {
        long now = System.currentTimeMillis();
        try {
            List<String> keys = List.copyOf(held);
            expired.values().removeIf(claim -> claim.seenAt() < now - 3 * timeoutMillis);
            db.inRelaxedTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE inbox_claim SET held_until = ? WHERE file_key = ? AND owner = ?")) {
                    for (String key : keys) {
                        ps.setLong(1, now + timeoutMillis);
                        ps.setString(2, key);
                        ps.setString(3, owner);
                        ps.addBatch();
                    }
                    if (!keys.isEmpty()) {
                        ps.executeBatch();
                    }
                }
                // Finished files' rows once their grace is over; a killed reader's after a day (its file
                // was taken over long ago, or removed by hand).
                return update(c.prepareStatement("DELETE FROM inbox_claim WHERE held_until < ? AND (done OR held_until < ?)"),
                        now, now - STALE_MILLIS);
            });
        } catch (RuntimeException e) {
            // The database away: the file being read waits for it too (file-source retries its batch).
            LOG.warn("Inbox claims not renewed: {}", e.getMessage());
        }
    }

    @Override
    protected void doStart() {
        // Claims of this instance's previous run (killed while reading): nobody renews them now.
        int mine = db.inRelaxedTransaction(c -> update(c.prepareStatement(
                "UPDATE inbox_claim SET held_until = 0 WHERE owner LIKE ? AND owner <> ? AND held_until > 0 AND NOT done"),
                instance + "/%", owner));
        if (mine > 0) {
            LOG.info("Inbox: {} files claimed by this instance before a restart are free to read again", mine);
        }
        long every = Math.max(100, timeoutMillis / 3);
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        heartbeat.shutdownNow();
        // Normally none: the file route has stopped. A claim left is handed back for a peer to take at once.
        for (String key : List.copyOf(held)) {
            try {
                db.inRelaxedTransaction(c -> update(c.prepareStatement(
                        "UPDATE inbox_claim SET held_until = 0 WHERE file_key = ? AND owner = ?"), key, owner));
            } catch (RuntimeException e) {
                LOG.warn("Inbox claim {} not handed back (it expires on its own): {}", key, e.getMessage());
            }
        }
        held.clear();
    }

    private static int update(PreparedStatement ps, Object... params) throws java.sql.SQLException {
        try (ps) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
