package dev.herald.delivery;

import org.apache.camel.builder.RouteBuilder;

/** The durable half of the retry engine: every poll interval, claim what is due from the database. */
public class SchedulerRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("quartz:herald/scheduler?trigger.repeatInterval={{herald.delivery.poll-interval-ms}}"
                + "&trigger.repeatCount=-1&stateful=true")
                .routeId("scheduler").routeConfigurationId("core")
                .bean("scheduler", "claim");
    }
}
