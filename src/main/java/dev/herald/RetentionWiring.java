package dev.herald;

import dev.herald.retention.RetentionSteps;
import dev.herald.store.Database;

import org.apache.camel.CamelContext;

/**
 * Retention: the steps of routes/retention.yaml, which deletes what finished longer ago than
 * herald.retention.period every herald.retention.interval. (H2's compaction at a clean stop is set
 * on the database URL, by StoreWiring.)
 */
final class RetentionWiring {

    private RetentionWiring() {
    }

    static void wire(CamelContext context, Settings s, Database db) {
        int batchSize = s.integer("herald.retention.batch-size");
        if (batchSize < 1 || s.millis("herald.retention.interval") < 1) {
            throw new IllegalArgumentException("herald.retention.batch-size and herald.retention.interval must be above 0");
        }
        RetentionSteps.bind(context.getRegistry(), db, s.millis("herald.retention.period"), batchSize);
    }
}
