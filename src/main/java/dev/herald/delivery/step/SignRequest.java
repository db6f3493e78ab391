package dev.herald.delivery.step;

import dev.herald.signing.SigningInput;
import dev.herald.subscription.Webhook;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step {@code SignRequest}: the request headers of this attempt, the webhook's own headers and
 * its signature over exactly the bytes that are sent (after any transform), in its dialect.
 */
public final class SignRequest implements Processor {

    private final String userAgent;

    public SignRequest(String userAgent) {
        this.userAgent = userAgent;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        Webhook w = job.webhook;
        long now = System.currentTimeMillis();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", job.contentType);
        headers.put("User-Agent", userAgent);
        headers.put("X-Webhook-Id", job.event.ownId());
        headers.put(w.eventTypeHeader() == null ? Webhook.DEFAULT_EVENT_TYPE_HEADER : w.eventTypeHeader(), job.event.type());
        headers.put("X-Webhook-Delivery", job.deliveryId);
        headers.put("X-Webhook-Attempt", Integer.toString(job.attempt()));
        headers.putAll(w.headers());
        headers.putAll(w.signature().dialect().sign(new SigningInput(job.body, job.event.ownId(), now / 1000,
                w.signingSecrets(now))));
        job.requestHeaders = headers;
        job.startedAt = now;
    }
}
