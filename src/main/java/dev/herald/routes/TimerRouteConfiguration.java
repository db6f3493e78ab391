package dev.herald.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the routes a timer runs (routes/metrics.yaml, routes/retention.yaml): a failed
 * run is logged, and the next run does the same work again (the counts not yet written, the rows
 * not yet deleted); nothing else is owed. Not the delivery routes' {@code core}, whose line speaks of
 * rows the scheduler takes again.
 */
public class TimerRouteConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "timers";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.WARN, "dev.herald.routes.TimerRouteConfiguration",
                            "The ${routeId} run failed; the next run tries again: ${exception.message}");
    }
}
