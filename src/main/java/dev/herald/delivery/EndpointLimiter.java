package dev.herald.delivery;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the attempts in flight per receiver (scheme, host, port), so one slow or hanging
 * endpoint cannot take every dispatcher thread and starve the others. A delivery that
 * finds its endpoint full is parked here, holding no thread; the attempt that frees a
 * slot passes that slot to the oldest parked ticket and hands it back to the dispatch queue.
 * The slot travels with the ticket ({@link DispatchTicket#permit()}), so a fresh ticket
 * cannot take it meanwhile, and a handed-back ticket that turns out to have nothing to send
 * (its lease ran out while parked) passes the slot on with {@link #release} at once.
 */
public final class EndpointLimiter {

    private final int perEndpoint;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();

    private static final class Slot {
        int inFlight;
        final ArrayDeque<DispatchTicket> waiting = new ArrayDeque<>();
    }

    public EndpointLimiter(int perEndpoint) {
        this.perEndpoint = perEndpoint;
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
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        synchronized (slot) {
            if (slot.inFlight < perEndpoint) {
                slot.inFlight++;
                return true;
            }
            slot.waiting.add(ticket);
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
        synchronized (slot) {
            DispatchTicket next = slot.waiting.poll();
            if (next == null) {
                slot.inFlight--;
                return null;
            }
            parked.decrementAndGet();
            return next.withPermit(key);
        }
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
