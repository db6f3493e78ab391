package dev.herald.delivery.step;

import dev.herald.egress.AttemptDeadline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code ReadResponse}: what the receiver answered (status, headers, the body up to
 * herald.delivery.max-response-bytes), read within the attempt's deadline, which ends here.
 * Nothing to read when the call itself failed (property {@link #WIRE_FAILURE}).
 */
public final class ReadResponse implements Processor {

    /** The exception of the HTTP call itself (connection refused, timeout), set by the route. */
    public static final String WIRE_FAILURE = "heraldWireFailure";

    private final int maxResponseBytes;
    private final AttemptDeadline deadline;

    public ReadResponse(int maxResponseBytes, AttemptDeadline deadline) {
        this.maxResponseBytes = maxResponseBytes;
        this.deadline = deadline;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        try {
            if (exchange.getProperty(WIRE_FAILURE) == null) {
                job.response = ReceiverResponse.read(exchange.getMessage(), maxResponseBytes, deadline);
            }
        } finally {
            deadline.end();
        }
    }
}
