package dev.herald.delivery;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lease tokens. A delivery row is worked on only by the holder of its current token, so
 * a stale copy (queued before another claim) can never send: whoever claims a row writes
 * a fresh token. Tokens start with this instance's id so a clean shutdown can release
 * exactly its own rows.
 */
public final class Leases {

    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong counter = new AtomicLong();

    public String instanceId() {
        return instanceId;
    }

    public String next() {
        return instanceId + ":" + Long.toString(counter.incrementAndGet(), 36);
    }

    /** A SQL LIKE pattern matching every token this instance issued. */
    public String mine() {
        return instanceId + ":%";
    }
}
