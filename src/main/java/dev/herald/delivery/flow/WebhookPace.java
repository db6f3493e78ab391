package dev.herald.delivery.flow;

import dev.herald.store.Database;
import dev.herald.subscription.RateLimit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pace of rate-limited webhooks (GCRA: each delivery gets its own send time, one interval after
 * the last). The pace is shared by all instances through the database ({@link PaceStore}): this
 * instance reserves a block of about {@link #BLOCK_MICROS} worth of send times with one update and
 * hands them out itself, so a limit of 10,000/s costs about 10 updates a second, not 10,000.
 *
 * <p>A delivery whose send time is near waits here without a thread: a timer hands its ticket back
 * to the dispatch queue at that time. Only about {@link #HORIZON_MILLIS} worth of a webhook's
 * deliveries wait here; ingest and the scheduler leave the rest in the database ({@link Budget}),
 * and claim them as these go out.
 */
public final class WebhookPace {

    /** One reservation's worth of send times. */
    static final long BLOCK_MICROS = 100_000;
    /** How far ahead of its send time a webhook's deliveries are taken from the database. */
    static final long HORIZON_MILLIS = 1_000;
    /** The longest a delivery waits in memory; a later send time is waited for in the database. */
    public static final long MAX_WAIT_MILLIS = 5_000;

    private final Database db;
    private final PaceStore store;
    private final ScheduledExecutorService timer;
    private final ConcurrentHashMap<String, Pace> paces = new ConcurrentHashMap<>();
    /** A delivery handed back this much after its send time takes a new one (once): see {@link #takeDue}. */
    static final long LATE_MICROS = 25_000;

    /** Deliveries handed back at their send time: id to that send time (epoch µs). */
    private final ConcurrentHashMap<String, Long> due = new ConcurrentHashMap<>();
    /** Deliveries that came back late once and took a new send time: they go the next time whatever. */
    private final java.util.Set<String> late = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Consumer<List<DispatchTicket>> handBack = t -> { };
    private volatile Runnable onRoom = () -> { };

    /** When a delivery may go: at {@code micros} (its own send time), or not before {@code millis} (reserved nothing). */
    public sealed interface Slot {
        record At(long micros) implements Slot {
        }

        record Busy(long millis) implements Slot {
        }
    }

    private static final class Pace {
        RateLimit limit;
        long next;
        long end;
        /** The shared pace's next free time as last seen here. */
        long sharedNext;
        boolean rowKnown;
        /** Tickets of this webhook waiting here for their send time; read without the lock. */
        volatile int waiting;
        /** When the last delivery handed back here went (epoch µs). */
        long lastGo;
        /** Rows of this webhook were left in the database for want of budget. */
        volatile boolean backlog;
    }

    public WebhookPace(Database db, ScheduledExecutorService timer) {
        this.db = db;
        this.store = new PaceStore(db.dialect());
        this.timer = timer;
    }

    /** Where tickets go at their send time (the dispatch queue), and whom to tell when a backlog has room. */
    public void wire(java.util.function.Consumer<List<DispatchTicket>> handBack, Runnable onRoom) {
        this.handBack = handBack;
        this.onRoom = onRoom;
    }

    /** The next send time of this webhook's pace for one delivery. */
    public Slot reserve(String webhookId, RateLimit limit, long nowMillis) {
        long now = nowMillis * 1000;
        Pace p = paces.computeIfAbsent(webhookId, id -> new Pace());
        synchronized (p) {
            if (!limit.equals(p.limit)) {
                p.limit = limit; // new or changed: the block of the old limit is spaced wrong
                p.end = 0;
            }
            long interval = limit.intervalMicros();
            // The block's send times are fixed, one interval apart from its start: one lapsed unused is
            // skipped, not sent late, so the sends of all instances stay at least an interval apart.
            long t = p.next;
            if (t < now) {
                t += (now - t + interval - 1) / interval * interval;
            }
            if (t >= p.end) {
                if (p.sharedNext - now > MAX_WAIT_MILLIS * 1000) {
                    return new Slot.Busy((p.sharedNext / 1000) - MAX_WAIT_MILLIS / 2);
                }
                long length = Math.max(1, BLOCK_MICROS / interval) * interval;
                boolean ensure = !p.rowKnown;
                t = db.inRelaxedTransaction(c -> store.reserve(c, webhookId, now, length, ensure));
                p.rowKnown = true;
                p.end = t + length;
                p.sharedNext = p.end;
            }
            p.next = t + interval;
            return new Slot.At(t);
        }
    }

    /** The ticket waits here and is handed back to the dispatch queue at {@code micros}. */
    public void later(String webhookId, DispatchTicket ticket, long micros) {
        Pace p = paces.get(webhookId);
        synchronized (p) {
            p.waiting++;
        }
        long delay = micros - System.currentTimeMillis() * 1000;
        timer.schedule(() -> fire(p, ticket, micros), Math.max(0, delay), TimeUnit.MICROSECONDS);
        if (due.size() > 10_000) {
            // Handed back but never seen again (the queue was full, the row finished): forgotten after a minute.
            long old = (System.currentTimeMillis() - 60_000) * 1000;
            due.values().removeIf(at -> at < old);
        }
        if (late.size() > 10_000) {
            late.clear(); // at worst such a delivery is late twice
        }
    }

    private void fire(Pace p, DispatchTicket ticket, long micros) {
        boolean room;
        synchronized (p) {
            p.waiting--;
            room = p.backlog && p.waiting <= budgetOf(p.limit) / 2;
            if (room) {
                p.backlog = false;
            }
        }
        due.put(ticket.deliveryId(), micros);
        handBack.accept(List.of(ticket));
        if (room) {
            onRoom.run();
        }
    }

    /**
     * True (once) when the delivery comes back for its send time and goes now. One that comes back
     * much later (a busy queue) would go right behind those on time after it, two at once at the
     * receiver: it gives its send time up and waits for a new one, once.
     */
    public boolean takeDue(String deliveryId, String webhookId, long nowMillis) {
        Long at = due.remove(deliveryId);
        if (at == null) {
            return false;
        }
        long now = nowMillis * 1000;
        Pace p = paces.get(webhookId);
        synchronized (p) {
            // Late, or right behind the one before it (that one was late): two at once at the receiver.
            boolean bunched = now - at > LATE_MICROS || (p.limit != null && now - p.lastGo < p.limit.intervalMicros() * 3 / 4);
            if (!bunched || late.remove(deliveryId)) {
                p.lastGo = now;
                return true;
            }
        }
        late.add(deliveryId);
        return false;
    }

    private static int budgetOf(RateLimit limit) {
        return (int) Math.max(1, limit.perSecond() * HORIZON_MILLIS / 1000);
    }

    /** How many more of this webhook's deliveries may be handed over now. */
    int admissible(String webhookId, RateLimit limit) {
        Pace p = paces.get(webhookId);
        return budgetOf(limit) - (p == null ? 0 : p.waiting);
    }

    /** Rows of this webhook stay in the database: ask for a claim when it has room. */
    void backlog(String webhookId) {
        Pace p = paces.computeIfAbsent(webhookId, id -> new Pace());
        p.backlog = true;
    }

    /** The rate limit of every webhook that has one, read from the database. */
    Map<String, Integer> limits() {
        return db.read(store::limits);
    }

    /** A budget for one claim or one ingest: how many deliveries of each rate-limited webhook it may hand over. */
    public Budget budget() {
        return new Budget();
    }

    /** Counts what one claim or ingest hands over per rate-limited webhook; free for webhooks without a limit. */
    public final class Budget {
        private Map<String, Integer> left;

        /** True when one more delivery of this webhook may be handed over; false leaves it in the database. */
        public boolean take(String webhookId, RateLimit limit) {
            if (limit == null) {
                return true;
            }
            if (left == null) {
                left = new HashMap<>();
            }
            int n = left.computeIfAbsent(webhookId, id -> admissible(id, limit));
            if (n <= 0) {
                backlog(webhookId);
                return false;
            }
            left.put(webhookId, n - 1);
            return true;
        }
    }
}
