package dev.herald.delivery.step;

import dev.herald.delivery.flow.Scheduler;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Step of routes/scheduler.yaml, every poll interval: claims the due deliveries and queues them. */
public final class ClaimDue implements Processor {

    private final Scheduler scheduler;

    public ClaimDue(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void process(Exchange exchange) {
        scheduler.claim();
    }
}
