package dev.herald.api;

import org.apache.camel.builder.RouteConfigurationBuilder;

/** Error handling shared by every route, declared once. */
public class ApiRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        // API routes (Java REST DSL and the YAML HTTP source): every failure is a JSON error.
        routeConfiguration("api")
                .onException(Exception.class)
                    .handled(true)
                    .logExhausted(false)
                    .process("apiErrors");

        // Core routes (dispatch, scheduler): the database is the source of truth, so a failed
        // step is logged and left to the scheduler, which claims the row again when its lease expires.
        routeConfiguration("core")
                .onException(Exception.class)
                    .handled(true)
                    .logStackTrace(true)
                    .log(org.apache.camel.LoggingLevel.WARN, "${routeId} failed, the scheduler will take the row again: ${exception.message}");
    }
}
