package dev.herald.delivery.step;

import dev.herald.delivery.log.PayloadRenderer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code RenderEnvelope}: the bytes the receiver gets, in the webhook's payload
 * format ({@link PayloadRenderer}). A webhook that names a transform gets property
 * {@link #TRANSFORM}, which the route's transform step reads.
 */
public final class RenderEnvelope implements Processor {

    /** The name of the webhook's transform (the route {@code direct:<name>}), when it has one. */
    public static final String TRANSFORM = "heraldTransform";

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        job.startedAt = System.currentTimeMillis();
        job.body = PayloadRenderer.render(job.webhook, job.event);
        if (job.webhook.transform() != null) {
            exchange.setProperty(TRANSFORM, job.webhook.transform());
        }
    }
}
