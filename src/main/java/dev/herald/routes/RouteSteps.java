package dev.herald.routes;

import org.apache.camel.spi.Registry;

/**
 * Binds route steps under their class's simple name, the name a route file refers to them by
 * ({@code process: {ref: LoadDelivery}}): a step's name cannot drift from its class. Each route
 * file's steps are bound in one place (DeliverySteps for deliver.yaml, SchedulerSteps for
 * scheduler.yaml, ...).
 */
public final class RouteSteps {

    private RouteSteps() {
    }

    public static void bind(Registry registry, Object... steps) {
        for (Object step : steps) {
            registry.bind(step.getClass().getSimpleName(), step);
        }
    }
}
