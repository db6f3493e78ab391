package dev.herald.delivery.step;

import dev.herald.delivery.flow.Scheduler;
import dev.herald.routes.RouteSteps;

import org.apache.camel.spi.Registry;

/** Binds the steps of routes/scheduler.yaml, under their class names. */
public final class SchedulerSteps {

    private SchedulerSteps() {
    }

    public static void bind(Registry r, Scheduler scheduler) {
        RouteSteps.bind(r, new ClaimDue(scheduler), new ClaimNow(scheduler));
    }
}
