package dev.herald.retention;

import dev.herald.routes.RouteSteps;
import dev.herald.store.Database;

import org.apache.camel.spi.Registry;

/** Binds the steps of routes/retention.yaml, under their class names. */
public final class RetentionSteps {

    private RetentionSteps() {
    }

    public static void bind(Registry r, Database db, long periodMillis, int batchSize) {
        RouteSteps.bind(r, new RetentionCutoff(periodMillis), new PurgeFinished(db, batchSize),
                new PurgeEvents(db, batchSize), new RetentionReport());
    }
}
