package dev.herald.delivery.step;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Step {@code SetRequest}: puts the signed request on the message for SendRequest (a POST);
 * the route removed every header just before, so only these reach the receiver.
 */
public final class SetRequest implements Processor {

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        Message m = exchange.getMessage();
        job.requestHeaders.forEach((name, value) -> {
            // Camel* names are Camel's own (CamelHttpUri is where SendRequest sends); they are refused when
            // a webhook is saved, and never set here, even from a row saved before that rule.
            if (!name.regionMatches(true, 0, "Camel", 0, 5)) {
                m.setHeader(name, value);
            }
        });
        m.setHeader(Exchange.HTTP_URI, job.webhook.url());
        m.setBody(job.body);
    }
}
