package dev.herald.retention;

import dev.herald.store.Database;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Step {@code PurgeFinished} of routes/retention.yaml: deletes the deliveries that finished
 * ({@code success} or {@code failed}) before the cutoff, with their attempts, a batch per short
 * transaction, so ingest, dispatch and the API never wait long for it. Pending deliveries are
 * never touched. Stops between batches when Herald stops; the next run goes on from there.
 */
public final class PurgeFinished implements Processor {

    /** Exchange properties: how many deliveries and attempts this run deleted. */
    static final String DELIVERIES = "heraldRetentionDeliveries";
    static final String ATTEMPTS = "heraldRetentionAttempts";

    record Purged(long deliveries, long attempts) {
    }

    private final Database db;
    private final int batchSize;
    private final FinishedDeliveries sql = new FinishedDeliveries();

    public PurgeFinished(Database db, int batchSize) {
        this.db = db;
        this.batchSize = batchSize;
    }

    @Override
    public void process(Exchange exchange) {
        Purged purged = purge(exchange.getProperty(RetentionCutoff.CUTOFF, Long.class), () -> !exchange.getContext().isStopping());
        exchange.setProperty(DELIVERIES, purged.deliveries());
        exchange.setProperty(ATTEMPTS, purged.attempts());
    }

    /** Deletes in batches while {@code go} holds and rows are left. */
    Purged purge(long cutoff, BooleanSupplier go) {
        long deliveries = 0;
        long attempts = 0;
        for (String status : FinishedDeliveries.STATUSES) {
            boolean more = true;
            while (more && go.getAsBoolean()) {
                // Relaxed: a deletion lost to a crash is simply made again by the next run.
                long[] batch = db.inRelaxedTransaction(c -> {
                    List<String> ids = sql.oldest(c, status, cutoff, batchSize);
                    List<String> locked = sql.lock(c, ids, status, cutoff);
                    long a = sql.deleteAttempts(c, locked);
                    return new long[] {ids.size(), sql.deleteDeliveries(c, locked), a};
                });
                more = batch[0] == batchSize;
                deliveries += batch[1];
                attempts += batch[2];
            }
        }
        return new Purged(deliveries, attempts);
    }
}
