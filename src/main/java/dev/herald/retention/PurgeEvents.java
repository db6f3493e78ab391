package dev.herald.retention;

import dev.herald.store.Database;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.function.BooleanSupplier;

/**
 * Step {@code PurgeEvents} of routes/retention.yaml, after {@code PurgeFinished}:
 * deletes the events received before the cutoff that have no delivery left, a batch per short
 * transaction. An event with a delivery still pending, or finished within the period, stays.
 */
public final class PurgeEvents implements Processor {

    /** Exchange property: how many events this run deleted. */
    static final String EVENTS = "heraldRetentionEvents";

    private final Database db;
    private final int batchSize;
    private final OldEvents sql = new OldEvents();

    public PurgeEvents(Database db, int batchSize) {
        this.db = db;
        this.batchSize = batchSize;
    }

    @Override
    public void process(Exchange exchange) {
        long cutoff = exchange.getProperty(RetentionCutoff.CUTOFF, Long.class);
        exchange.setProperty(EVENTS, purge(cutoff, () -> !exchange.getContext().isStopping()));
    }

    /** Deletes in batches while {@code go} holds and events are left; returns how many went. */
    long purge(long cutoff, BooleanSupplier go) {
        long deleted = 0;
        OldEvents.Cursor after = OldEvents.Cursor.START;
        boolean more = true;
        while (more && go.getAsBoolean()) {
            OldEvents.Cursor from = after;
            // Relaxed: a deletion lost to a crash is simply made again by the next run.
            Done done = db.inRelaxedTransaction(c -> {
                OldEvents.Batch b = sql.next(c, cutoff, from, batchSize);
                return new Done(b.ids().size(), sql.delete(c, b.ids()), b.next());
            });
            more = done.read() == batchSize;
            after = done.next();
            deleted += done.deleted();
        }
        return deleted;
    }

    private record Done(int read, int deleted, OldEvents.Cursor next) {
    }
}
