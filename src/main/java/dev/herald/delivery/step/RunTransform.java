package dev.herald.delivery.step;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * Step {@code RunTransform}: the webhook's transform, the operator's route
 * {@code direct:<name>}, run on a copy of the message. Not a {@code toD} in the route: a
 * transform that ends in {@code stop} would stop the deliver route too, and the attempt would
 * never be recorded (its delivery pending, claimed again at every lease, silently). Whatever
 * the transform route does, its result comes back here; an exception it ends with is thrown.
 */
public final class RunTransform implements Processor {

    private final ProducerTemplate producer;

    public RunTransform(CamelContext context) {
        this.producer = context.createProducerTemplate();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String name = exchange.getProperty(RenderEnvelope.TRANSFORM, String.class);
        Message in = exchange.getMessage();
        // block=false: a transform that is gone fails at once instead of waiting 30 s for a consumer.
        Exchange out = producer.send("direct:" + name + "?block=false", copy -> {
            copy.getMessage().setBody(in.getBody());
            copy.getMessage().setHeaders(in.getHeaders());
        });
        if (out.getException() != null) {
            throw out.getException();
        }
        in.setBody(out.getMessage().getBody());
        in.setHeaders(out.getMessage().getHeaders());
    }
}
