package dev.herald.delivery.flow;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Lease tokens. A delivery row is worked on only by the holder of its current token, so
 * a stale copy (queued before another claim) can never send: whoever claims a row writes
 * a fresh token. A token names the instance that holds it ({@code herald.instance.id}, for
 * whoever reads the table) and this run of it (random), so two instances given the same id,
 * or one restarted, never issue the same token; a clean stop releases exactly its own rows.
 */
public final class Leases {

    /** What an instance id may bring into a token: LIKE's wildcards and SQL quotes stay out. */
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9.-]");
    /** lease_token is VARCHAR(40): id (at most 24) + '-' + run (6) + ':' + counter (at most 8 in practice). */
    private static final int MAX_ID = 24;

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public Leases(String instanceId) {
        String id = UNSAFE.matcher(instanceId).replaceAll("-");
        if (id.length() > MAX_ID) {
            id = id.substring(id.length() - MAX_ID);
        }
        String run = Long.toString(new SecureRandom().nextInt(Integer.MAX_VALUE), 36);
        this.prefix = (id.isEmpty() ? "" : id + "-") + "0".repeat(6 - Math.min(6, run.length())) + run;
    }

    /** What every token of this run starts with, e.g. {@code web-1.4242-0k3f9a}. */
    public String prefix() {
        return prefix;
    }

    public String next() {
        return prefix + ":" + Long.toString(counter.incrementAndGet(), 36);
    }

    /** A SQL LIKE pattern matching every token this run issued. */
    public String mine() {
        return prefix + ":%";
    }
}
