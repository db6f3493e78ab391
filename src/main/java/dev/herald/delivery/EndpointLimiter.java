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
 * slot hands it back to the dispatch queue, oldest first.
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

    public static String key(String url) {
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

    /** Frees a slot; returns the ticket parked longest for this endpoint, to be queued again, or null. */
    public DispatchTicket release(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            return null;
        }
        synchronized (slot) {
            slot.inFlight--;
            DispatchTicket next = slot.waiting.poll();
            if (next != null) {
                parked.decrementAndGet();
            }
            return next;
        }
    }

    /**
     * Parked tickets of endpoints that have free slots, taken out to be queued again. A parked
     * ticket normally goes back when an attempt there ends; one handed back that then finds its
     * row gone (its lease ran out meanwhile) frees no slot for the next, and this sweep, run by
     * the scheduler on every pass, keeps such an endpoint from waiting forever.
     */
    public java.util.List<DispatchTicket> unparkFree() {
        java.util.List<DispatchTicket> out = new java.util.ArrayList<>();
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                for (int free = perEndpoint - slot.inFlight; free > 0 && !slot.waiting.isEmpty(); free--) {
                    out.add(slot.waiting.poll());
                    parked.decrementAndGet();
                }
            }
        }
        return out;
    }

    /** Tickets parked across all endpoints; they count against the dispatch queue's room. */
    public int parked() {
        return parked.get();
    }
}
