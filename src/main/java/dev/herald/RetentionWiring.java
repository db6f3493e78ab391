package dev.herald;

import dev.herald.retention.PurgeEvents;
import dev.herald.retention.PurgeFinished;
import dev.herald.retention.RetentionCutoff;
import dev.herald.retention.RetentionReport;
import dev.herald.store.Database;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Retention: the steps of routes/retention.yaml, which deletes what finished longer ago than
 * herald.retention.period every herald.retention.interval. (H2's compaction at a clean stop is set
 * on the database URL, by StoreWiring.)
 */
final class RetentionWiring {

    private RetentionWiring() {
    }

    static void wire(CamelContext context, Settings s, Database db) {
        // The route's quartz trigger takes milliseconds; the settings are durations ({{millis:...}}).
        context.getPropertiesComponent().addPropertiesFunction(new MillisFunction(s));
        int batchSize = s.integer("herald.retention.batch-size");
        if (batchSize < 1 || s.millis("herald.retention.interval") < 1) {
            throw new IllegalArgumentException("herald.retention.batch-size and herald.retention.interval must be above 0");
        }
        Registry r = context.getRegistry();
        r.bind("heraldRetentionCutoff", new RetentionCutoff(s.millis("herald.retention.period")));
        r.bind("heraldPurgeFinished", new PurgeFinished(db, batchSize));
        r.bind("heraldPurgeEvents", new PurgeEvents(db, batchSize));
        r.bind("heraldRetentionReport", new RetentionReport());
    }
}
