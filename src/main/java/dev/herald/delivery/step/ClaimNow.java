package dev.herald.delivery.step;

import dev.herald.delivery.flow.Scheduler;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step of the scheduler-wake route (routes/scheduler.yaml): a receiver that was saturated has
 * room again, so its rows left waiting are claimed now, not at the next poll.
 */
public final class ClaimNow implements Processor {

    private final Scheduler scheduler;

    public ClaimNow(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void process(Exchange exchange) {
        scheduler.claimNow();
    }
}
