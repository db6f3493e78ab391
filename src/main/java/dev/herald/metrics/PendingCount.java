package dev.herald.metrics;

import dev.herald.store.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The number of pending deliveries (due, waiting for a retry, or held for a paused webhook or an
 * open breaker), counted over the claim index at most once per herald.metrics.pending-interval
 * and in the background: a scrape or a dashboard read returns the last count at once, however
 * often they come and however large the backlog. Nobody asking, nothing counted.
 */
public final class PendingCount {

    public record Reading(long pending, long measuredAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PendingCount.class);

    private final Database db;
    private final long intervalMillis;
    private final Executor background;
    private final AtomicBoolean counting = new AtomicBoolean();
    private volatile Reading last;
    private volatile long askedAfter;

    public PendingCount(Database db, long intervalMillis, Executor background) {
        this.db = db;
        this.intervalMillis = intervalMillis;
        this.background = background;
    }

    /** The last count, or null before the first; starts a new count when the last is older than the interval. */
    public Reading read() {
        long now = System.currentTimeMillis();
        if (now >= askedAfter && counting.compareAndSet(false, true)) {
            askedAfter = now + intervalMillis;
            background.execute(this::count);
        }
        return last;
    }

    /** For the gauge: NaN until counted once. */
    public double gaugeValue() {
        Reading r = read();
        return r == null ? Double.NaN : r.pending();
    }

    private void count() {
        try {
            long at = System.currentTimeMillis();
            long n = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM delivery WHERE status = 'pending'");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            last = new Reading(n, at);
        } catch (RuntimeException e) {
            LOG.debug("Counting pending deliveries failed: {}", e.getMessage());
        } finally {
            counting.set(false);
        }
    }
}
