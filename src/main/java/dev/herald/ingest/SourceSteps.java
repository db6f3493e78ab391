package dev.herald.ingest;

import dev.herald.routes.RouteSteps;
import dev.herald.tenancy.ApplicationNames;

import org.apache.camel.spi.Registry;

/**
 * Binds the steps of routes/jms-source.yaml (JmsBodyLimit, DataAsEvent) and routes/file-source.yaml
 * (JsonFileBody, and InboxFiles, whose method ndjsonBatches is the split's expression), and
 * SourceErrors of their route configurations, under their class names; ApplicationOfCall of
 * routes/http-source.yaml (which also uses the API's ApiAuth and ApiRespond).
 */
public final class SourceSteps {

    private SourceSteps() {
    }

    public static void bind(Registry r, EventParser parser, int maxBatch, int maxRequestBytes, ApplicationNames applications) {
        RouteSteps.bind(r, new JmsBodyLimit(maxRequestBytes), new DataAsEvent(),
                new JsonFileBody(maxRequestBytes), new InboxFiles(parser, maxBatch), new SourceErrors(),
                new ApplicationOfCall(applications));
    }
}
