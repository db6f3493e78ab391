package dev.herald.metrics;

import dev.herald.store.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deliveries finished per minute (delivered, failed): counted in memory as attempts end, added
 * to the table {@code delivery_minute} every herald.metrics.flush-interval, read back summed
 * over every instance. A kill loses at most the counts of the last interval: the chart is a
 * picture of the traffic, the delivery log is the record.
 */
public final class DeliveryMinutes {

    public record Minute(long epochMinute, long succeeded, long failed) {
    }

    private static final long MINUTE = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryMinutes.class);

    private final Database db;
    /** Not yet written: epoch minute to {delivered, failed}. */
    private final Map<Long, AtomicLong[]> unwritten = new ConcurrentHashMap<>();

    public DeliveryMinutes(Database db) {
        this.db = db;
    }

    void finished(long at, boolean delivered) {
        unwritten.computeIfAbsent(at / MINUTE, m -> new AtomicLong[] {new AtomicLong(), new AtomicLong()})
                [delivered ? 0 : 1].incrementAndGet();
    }

    /** Adds what was counted since the last call to the table; returns how many minutes had counts. */
    int write() {
        List<long[]> rows = new ArrayList<>();
        long current = System.currentTimeMillis() / MINUTE;
        for (Map.Entry<Long, AtomicLong[]> e : unwritten.entrySet()) {
            // Minutes two behind leave the map: no attempt ending now counts into them any more.
            AtomicLong[] counts = e.getKey() < current - 1 ? unwritten.remove(e.getKey()) : e.getValue();
            long succeeded = counts[0].getAndSet(0);
            long failed = counts[1].getAndSet(0);
            if (succeeded + failed > 0) {
                rows.add(new long[] {e.getKey(), succeeded, failed});
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            db.inRelaxedTransaction(c -> insert(c, rows));
        } catch (RuntimeException e) {
            // The database is away: the counts wait for the next write.
            for (long[] row : rows) {
                AtomicLong[] counts = unwritten.computeIfAbsent(row[0], m -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
                counts[0].addAndGet(row[1]);
                counts[1].addAndGet(row[2]);
            }
            LOG.debug("Per-minute counts not written, kept for the next write: {}", e.getMessage());
            return 0;
        }
        return rows.size();
    }

    /** Deletes the minutes before {@code cutoff} (epoch ms); returns how many rows went. */
    int deleteBefore(long cutoff) {
        return db.inRelaxedTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM delivery_minute WHERE epoch_minute < ?")) {
                ps.setLong(1, cutoff / MINUTE);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The last {@code count} minutes up to and including the current one, oldest first, each
     * present (zero when nothing finished): every instance's written counts and this one's not yet written.
     */
    public List<Minute> last(int count, long now) {
        long to = now / MINUTE;
        long from = to - count + 1;
        Map<Long, long[]> sums = new TreeMap<>();
        for (long m = from; m <= to; m++) {
            sums.put(m, new long[2]);
        }
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT epoch_minute, SUM(succeeded), SUM(failed) FROM delivery_minute"
                    + " WHERE epoch_minute >= ? AND epoch_minute <= ? GROUP BY epoch_minute")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] sum = sums.get(rs.getLong(1));
                        sum[0] += rs.getLong(2);
                        sum[1] += rs.getLong(3);
                    }
                }
            }
            return null;
        });
        unwritten.forEach((minute, counts) -> {
            long[] sum = sums.get(minute);
            if (sum != null) {
                sum[0] += counts[0].get();
                sum[1] += counts[1].get();
            }
        });
        List<Minute> out = new ArrayList<>(count);
        sums.forEach((m, s) -> out.add(new Minute(m, s[0], s[1])));
        return out;
    }

    private static Void insert(Connection c, List<long[]> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_minute (epoch_minute, succeeded, failed) VALUES (?, ?, ?)")) {
            for (long[] row : rows) {
                ps.setLong(1, row[0]);
                ps.setLong(2, row[1]);
                ps.setLong(3, row[2]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return null;
    }
}
