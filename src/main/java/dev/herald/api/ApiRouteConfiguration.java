package dev.herald.api;

import org.apache.camel.builder.RouteConfigurationBuilder;

/** Error handling of the API routes, declared once. */
public class ApiRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        // API routes (Java REST DSL and the YAML HTTP source): every failure is a JSON error.
        routeConfiguration("api")
                .onException(Exception.class)
                    .handled(true)
                    .logExhausted(false)
                    .process("ApiErrors");
    }
}
