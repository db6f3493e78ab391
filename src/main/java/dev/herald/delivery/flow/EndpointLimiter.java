package dev.herald.delivery.flow;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the attempts in flight per receiver (scheme, host, port), so one slow or hanging
 * endpoint cannot take every delivery thread and starve the others. A delivery that
 * finds its endpoint full is parked here, holding no thread; the attempt that frees a
 * slot passes that slot to the oldest parked ticket and hands it back to the dispatch queue.
 * The slot travels with the ticket ({@link DispatchTicket#permit()}), so a fresh ticket
 * cannot take it meanwhile, and a handed-back ticket that turns out to have nothing to send
 * (its lease ran out while parked) passes the slot on with {@link #release} at once.
 *
 * <p>Parked tickets take room in the dispatch queue, so one endpoint may only park so many:
 * past {@code maxParked} (or when half the queue's room is parked) it is {@link #saturated},
 * and ingest and the scheduler leave its new rows in the database instead of handing them
 * over. Without that, one slow endpoint with traffic filled the whole room and every other
 * endpoint waited behind it. When an endpoint with rows left behind is down to three quarters
 * of the limit, {@code onRoom} asks the scheduler to claim for it (once per claim pass).
 */
public final class EndpointLimiter {

    private final int perEndpoint;
    private final int maxParked;
    private final int maxParkedTotal;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();
    private volatile Runnable onRoom = () -> { };

    private static final class Slot {
        /** Changed under the slot's lock; volatile for {@link #saturated}, which reads without it. */
        volatile int inFlight;
        final ArrayDeque<DispatchTicket> waiting = new ArrayDeque<>();
        /** waiting.size(), readable without the lock. */
        volatile int parked;
        /** Rows of this endpoint were left in the database for want of room (by ingest or a claim). */
        volatile boolean backlog;
        /** A wake-up for this endpoint is on its way to the scheduler. */
        volatile boolean wakeSent;
        /** Attempts ended in the current window (about a second) and the rate of the one before. */
        long windowStart = System.currentTimeMillis();
        int ended;
        double lastRate;

        void ended(long now) {
            if (now - windowStart >= 1000) {
                lastRate = ended * 1000.0 / (now - windowStart);
                windowStart = now;
                ended = 0;
            }
            ended++;
        }

        /** Attempts ending per second lately; falls toward 0 while none end (a hanging endpoint). */
        double rate(long now) {
            long age = now - windowStart;
            return age >= 1000 ? ended * 1000.0 / age : Math.max(lastRate, ended * 1000.0 / Math.max(age, 1));
        }
    }

    /** No limit on parked tickets (tests of the slot hand-over). */
    public EndpointLimiter(int perEndpoint) {
        this(perEndpoint, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    public EndpointLimiter(int perEndpoint, int maxParked, int maxParkedTotal) {
        this.perEndpoint = perEndpoint;
        this.maxParked = Math.max(1, maxParked);
        this.maxParkedTotal = Math.max(1, maxParkedTotal);
    }

    /** Called (outside any lock) when an endpoint with rows left in the database has room for them. */
    public void onRoom(Runnable wake) {
        this.onRoom = wake;
    }

    /** Rows of this endpoint stay in the database for want of room: ask for a claim when it has room. */
    public void backlog(String key) {
        Slot slot = slots.get(key);
        if (slot != null && !slot.backlog) {
            slot.backlog = true;
        }
    }

    /** A claim pass begins: the wake-ups sent so far are answered by it. */
    public void claiming() {
        slots.forEach((key, slot) -> slot.wakeSent = false);
    }

    /** A claim pass saw every due row of these endpoints: none is left behind. */
    public void caughtUp(java.util.function.Predicate<String> keys) {
        slots.forEach((key, slot) -> {
            if (slot.backlog && keys.test(key)) {
                slot.backlog = false;
            }
        });
    }

    /**
     * True when no more tickets should be handed over for this endpoint: it parks its limit, or
     * half the queue's room is parked and this endpoint has no free slot. A soft limit, checked
     * by those who hand tickets over; a ticket that arrives anyway still parks.
     */
    public boolean saturated(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            return false;
        }
        int p = slot.parked;
        // True whenever admissible(key) is 0, so ingest and the claim agree on who takes no more.
        return p >= maxParked || (parked.get() >= maxParkedTotal && (p > 0 || slot.inFlight >= perEndpoint));
    }

    /**
     * Keys of the slow endpoints: more parked than they finish in a second. The scheduler's claim
     * passes over their rows to reach the others'. A fast endpoint at its limit is not among them:
     * its parked tickets are gone in moments and its rows are the next to claim anyway.
     */
    public java.util.Set<String> slowKeys() {
        long now = System.currentTimeMillis();
        java.util.Set<String> out = new java.util.HashSet<>();
        slots.forEach((key, slot) -> {
            synchronized (slot) {
                if (slot.parked > 0 && slot.parked > slot.rate(now)) {
                    out.add(key);
                }
            }
        });
        return out;
    }

    /** How many more tickets may be handed over for this endpoint now: its free slots and its parking room. */
    public int admissible(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            return perEndpoint + Math.min(maxParked, Math.max(0, maxParkedTotal - parked.get()));
        }
        synchronized (slot) {
            return Math.max(0, perEndpoint - slot.inFlight)
                    + Math.max(0, Math.min(maxParked - slot.parked, maxParkedTotal - parked.get()));
        }
    }

    /** Keys by URL: parsing a URI on every attempt showed in profiles. Webhook URLs are few. */
    private static final ConcurrentHashMap<String, String> KEYS = new ConcurrentHashMap<>();

    public static String key(String url) {
        String key = KEYS.get(url);
        if (key == null) {
            if (KEYS.size() > 10_000) {
                KEYS.clear();
            }
            key = parseKey(url);
            KEYS.put(url, key);
        }
        return key;
    }

    private static String parseKey(String url) {
        URI u = URI.create(url);
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Takes a slot, or parks the ticket when the endpoint is full and returns false. */
    public boolean acquireOrPark(String key, DispatchTicket ticket) {
        return acquireOrPark(key, () -> ticket);
    }

    /** As above; the ticket is built only when it parks (a slot is usually free). */
    public boolean acquireOrPark(String key, java.util.function.Supplier<DispatchTicket> ticket) {
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        synchronized (slot) {
            if (slot.inFlight < perEndpoint) {
                slot.inFlight++;
                return true;
            }
            slot.waiting.add(ticket.get());
            slot.parked = slot.waiting.size();
            parked.incrementAndGet();
            return false;
        }
    }

    /**
     * Gives a slot up. When tickets are parked there, the slot passes to the oldest, which is
     * returned holding it, to be queued again; otherwise null.
     */
    public DispatchTicket release(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            return null;
        }
        DispatchTicket next;
        boolean room;
        synchronized (slot) {
            slot.ended(System.currentTimeMillis());
            next = slot.waiting.poll();
            if (next == null) {
                slot.inFlight--;
                return null;
            }
            slot.parked = slot.waiting.size();
            parked.decrementAndGet();
            // Down to three quarters of the limit with rows waiting in the database: the scheduler
            // claims for it while a quarter of the limit still waits here, so it does not run dry.
            room = slot.backlog && !slot.wakeSent && slot.parked <= maxParked - Math.max(1, maxParked / 4);
            if (room) {
                slot.wakeSent = true;
            }
        }
        if (room) {
            onRoom.run();
        }
        return next.withPermit(key);
    }

    /**
     * A ticket holding a slot that could not be queued: the slot is freed and the ticket
     * parked again at the front, for the next attempt that ends (or the sweep) to hand back.
     */
    public void returnUnqueued(DispatchTicket ticket) {
        Slot slot = slots.get(ticket.permit());
        if (slot == null) {
            return;
        }
        synchronized (slot) {
            slot.inFlight--;
            slot.waiting.addFirst(ticket.withoutPermit());
            slot.parked = slot.waiting.size();
            parked.incrementAndGet();
        }
    }

    /**
     * Parked tickets of endpoints with free slots, each given one of those slots, to be queued
     * again. Attempts that end hand parked tickets back themselves; this sweep, run by the
     * scheduler on every pass, covers a slot freed when the queue had no room.
     */
    public java.util.List<DispatchTicket> unparkFree() {
        java.util.List<DispatchTicket> out = new java.util.ArrayList<>();
        slots.forEach((key, slot) -> {
            synchronized (slot) {
                while (slot.inFlight < perEndpoint && !slot.waiting.isEmpty()) {
                    slot.inFlight++;
                    out.add(slot.waiting.poll().withPermit(key));
                    slot.parked = slot.waiting.size();
                    parked.decrementAndGet();
                }
            }
        });
        return out;
    }

    /** Attempts in flight at an endpoint, counting slots held by handed-back tickets. */
    int inFlight(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            return 0;
        }
        synchronized (slot) {
            return slot.inFlight;
        }
    }

    /** Tickets parked across all endpoints; they count against the dispatch queue's room. */
    public int parked() {
        return parked.get();
    }
}
