package dev.herald.delivery.flow;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breaker of each receiver (scheme, host, port: the key of {@link EndpointLimiter}).
 * After {@code failures} consecutive failed attempts it opens for {@code openFor}: no request goes
 * there and its due deliveries wait without using an attempt. Then one delivery probes it: a
 * success closes it, a failure opens it again for twice as long, up to {@code maxOpen}.
 *
 * <p>A receiver that never failed has no entry here: the healthy path is one map lookup. The state
 * is per instance (see docs/operations.md).
 */
public final class EndpointBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** What an attempt's result did to the breaker: the two changes Herald reports as events. */
    public enum Change { NONE, OPENED, CLOSED }

    /**
     * The failed attempts in a row since the receiver's last success (this instance's count), and
     * the HTTP status of the latest one ({@code null}: no response, such as a refused connection).
     */
    public record Failing(int attempts, Integer lastStatusCode) {
    }

    private final int failures;
    private final long openFor;
    private final long maxOpen;
    /** A probe with no result after this long (its delivery ended without an attempt) lets another probe. */
    private final long probeTimeout;
    private final ConcurrentHashMap<String, Circuit> circuits = new ConcurrentHashMap<>();

    private static final class Circuit {
        volatile State state = State.CLOSED;
        volatile int failures;
        /** Failed attempts in a row, whatever the state (failures counts toward opening only while closed). */
        volatile int failedInARow;
        Integer lastStatus;
        long openFor;
        long openUntil;
        String probe;
        long probeStarted;
    }

    /** {@code failures} 0 or less: never opens. */
    public EndpointBreaker(int failures, long openFor, long maxOpen, long probeTimeout) {
        this.failures = failures;
        this.openFor = openFor;
        this.maxOpen = Math.max(openFor, maxOpen);
        this.probeTimeout = probeTimeout;
    }

    /**
     * May this delivery's attempt go to the receiver now? 0: yes (it may be the probe); otherwise the
     * time until which it waits.
     */
    public long admit(String endpoint, String deliveryId, long now) {
        Circuit c = circuits.get(endpoint);
        if (c == null || c.state == State.CLOSED) {
            return 0;
        }
        synchronized (c) {
            if (c.state == State.CLOSED || deliveryId.equals(c.probe)) {
                return 0;
            }
            if (c.state == State.OPEN && now < c.openUntil) {
                return c.openUntil;
            }
            if (c.state == State.HALF_OPEN && now < c.probeStarted + probeTimeout) {
                return c.probeStarted + probeTimeout;
            }
            c.state = State.HALF_OPEN;
            c.probe = deliveryId;
            c.probeStarted = now;
            return 0;
        }
    }

    /** {@link #record(String, String, boolean, Integer, long)} without the HTTP status. */
    public Change record(String endpoint, String deliveryId, boolean success, long now) {
        return record(endpoint, deliveryId, success, null, now);
    }

    /**
     * The result of an attempt at the receiver ({@code statusCode} null: no response): OPENED when it
     * opened the breaker (from closed), CLOSED when it closed it.
     */
    public Change record(String endpoint, String deliveryId, boolean success, Integer statusCode, long now) {
        Circuit c = circuits.get(endpoint);
        if (success && (c == null || (c.state == State.CLOSED && c.failures == 0 && c.failedInARow == 0))) {
            return Change.NONE;
        }
        if (c == null) {
            // Kept even when the breaker never opens (failures 0): the API still says the receiver is failing.
            c = circuits.computeIfAbsent(endpoint, k -> new Circuit());
        }
        synchronized (c) {
            if (success) {
                c.failedInARow = 0;
            } else {
                c.failedInARow++;
                c.lastStatus = statusCode;
            }
            if (c.state == State.CLOSED) {
                c.failures = success ? 0 : c.failures + 1;
                if (failures > 0 && c.failures >= failures) {
                    c.state = State.OPEN;
                    c.openFor = openFor;
                    c.openUntil = now + openFor;
                    return Change.OPENED;
                }
            } else if (deliveryId.equals(c.probe)) {
                c.probe = null;
                if (success) {
                    c.state = State.CLOSED;
                    c.failures = 0;
                    return Change.CLOSED;
                } else {
                    c.state = State.OPEN;
                    c.openFor = Math.min(maxOpen, c.openFor * 2);
                    c.openUntil = now + c.openFor;
                }
            }
            // Otherwise an attempt that began before the breaker opened: the probe decides, not it.
            return Change.NONE;
        }
    }

    /** True while no new delivery should be handed over for the receiver: open, or its probe under way. */
    public boolean holding(String endpoint, long now) {
        Circuit c = circuits.get(endpoint);
        if (c == null || c.state == State.CLOSED) {
            return false;
        }
        synchronized (c) {
            return c.state == State.OPEN ? now < c.openUntil
                    : c.state == State.HALF_OPEN && now < c.probeStarted + probeTimeout;
        }
    }

    /** Not closed, and no longer holding: one delivery may be handed over, to probe it. */
    public boolean probeDue(String endpoint, long now) {
        Circuit c = circuits.get(endpoint);
        return c != null && c.state != State.CLOSED && !holding(endpoint, now);
    }

    /** As shown in the API: half_open once the open time is over, until the probe's result. */
    public State state(String endpoint, long now) {
        Circuit c = circuits.get(endpoint);
        if (c == null) {
            return State.CLOSED;
        }
        synchronized (c) {
            return c.state == State.OPEN && now >= c.openUntil ? State.HALF_OPEN : c.state;
        }
    }

    /** The receiver's failed attempts in a row, or null when its last attempt succeeded (or none failed). */
    public Failing failing(String endpoint) {
        Circuit c = circuits.get(endpoint);
        if (c == null) {
            return null;
        }
        synchronized (c) {
            return c.failedInARow == 0 ? null : new Failing(c.failedInARow, c.lastStatus);
        }
    }

    /** Receivers whose breaker is not closed (the scheduler passes over their rows while they hold). */
    public java.util.Set<String> notClosed() {
        java.util.Set<String> out = new java.util.HashSet<>();
        circuits.forEach((key, c) -> {
            if (c.state != State.CLOSED) {
                out.add(key);
            }
        });
        return out;
    }
}
