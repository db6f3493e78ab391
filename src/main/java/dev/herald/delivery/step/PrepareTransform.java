package dev.herald.delivery.step;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;

/**
 * Step {@code PrepareTransform}: what a transform route receives, as documented: the
 * rendered payload as a String and the delivery's identity in {@code Herald*} headers.
 */
public final class PrepareTransform implements Processor {

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader("HeraldEventId", job.event.ownId());
        m.setHeader("HeraldEventType", job.event.type());
        m.setHeader("HeraldWebhookId", job.webhook.id());
        m.setHeader("HeraldDeliveryId", job.deliveryId);
        m.setHeader("HeraldAttempt", job.attempt());
        m.setBody(new String(job.body, StandardCharsets.UTF_8));
    }
}
