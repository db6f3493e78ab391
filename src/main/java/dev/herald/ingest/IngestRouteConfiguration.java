package dev.herald.ingest;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of {@code direct:ingest}: none. A failure goes back to the source route as
 * it is, and the source answers in its own way (see {@link SourceRouteConfiguration}).
 */
public class IngestRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("ingest").errorHandler(noErrorHandler());
    }
}
