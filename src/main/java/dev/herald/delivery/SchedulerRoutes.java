package dev.herald.delivery;

import org.apache.camel.builder.RouteBuilder;

/**
 * The durable half of the retry engine: every poll interval, claim what is due from the
 * database; and at once when the endpoint limiter says a saturated endpoint has room again.
 */
public class SchedulerRoutes extends RouteBuilder {

    /** One wake-up at a time waits; the producer adds {@code discardWhenFull}. */
    public static final String WAKE = "seda:claim-now?size=1";

    @Override
    public void configure() {
        from(WAKE).routeId("scheduler-wake").routeConfigurationId("core")
                .bean("scheduler", "claimNow");

        from("quartz:herald/scheduler?trigger.repeatInterval={{herald.delivery.poll-interval-ms}}"
                + "&trigger.repeatCount=-1&stateful=true")
                .routeId("scheduler").routeConfigurationId("core")
                .bean("scheduler", "claim");
    }
}
