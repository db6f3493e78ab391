package dev.herald.retention;

import dev.herald.store.Dialect;

import java.util.Locale;

/**
 * How the embedded H2 gives back the space retention frees. While Herald runs, H2's MVStore
 * does it on its own: new writes go into chunks left empty (45 s after they emptied, H2's
 * RETENTION_TIME, kept for crash safety), its background housekeeping rewrites sparse chunks
 * (AUTO_COMPACT_FILL_RATE, 90 %) and moves chunks into holes, and the file is cut after its last
 * used block; so the file stops growing once retention deletes as much as comes in. At a clean
 * close H2 compacts for MAX_COMPACT_TIME (its default 200 ms) and then truncates the file: this
 * sets that time from {@code herald.retention.compact-on-stop}. Not SHUTDOWN COMPACT nor
 * DEFRAG_ALWAYS: they copy every live page into a new file, in a time that grows with the data kept
 * and has no bound, while a stop must stay within seconds. PostgreSQL needs none of this (VACUUM
 * and autovacuum reuse the space).
 */
public final class H2CompactOnStop {

    private H2CompactOnStop() {
    }

    /** {@code url} with MAX_COMPACT_TIME set, for an H2 file URL that does not set it itself. */
    public static String url(String url, Dialect dialect, long millis) {
        if (!dialect.h2File() || url.toUpperCase(Locale.ROOT).contains(";MAX_COMPACT_TIME=")) {
            return url;
        }
        String base = url.endsWith(";") ? url.substring(0, url.length() - 1) : url;
        return base + ";MAX_COMPACT_TIME=" + Math.min(millis, Integer.MAX_VALUE);
    }
}
