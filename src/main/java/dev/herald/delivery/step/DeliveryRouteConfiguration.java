package dev.herald.delivery.step;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the delivery routes (deliver and its part send-attempt, scheduler) and of
 * transforms, declared once. The timer routes (metrics, retention) have their own,
 * routes.TimerRouteConfiguration.
 */
public class DeliveryRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        // The database is the source of truth, so a failed step is logged and left to the scheduler,
        // which claims the row again when its lease expires. An endpoint slot the exchange held is
        // given back when it ends (EndpointSlot).
        routeConfiguration("core")
                .onException(Exception.class)
                    .handled(true)
                    .logStackTrace(true)
                    .log(LoggingLevel.WARN, "${routeId} failed, the scheduler will take the row again: ${exception.message}");

        // For the operator's transform routes (routeConfigurationId: transform): a failure goes back to
        // the deliver route as it is, which records it as the attempt's error; no stack trace per attempt.
        routeConfiguration("transform").errorHandler(noErrorHandler());

        // For the parts of the deliver route (send-attempt, called by direct:): a failure goes back to
        // deliver as it is, and is handled there, once, as above.
        routeConfiguration("part").errorHandler(noErrorHandler());
    }
}
