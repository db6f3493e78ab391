package dev.herald.delivery.step;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code ReadResponse}: what the receiver answered (status, headers, the body up to
 * herald.delivery.max-response-bytes), as SendRequest left it. Nothing to read when the call
 * itself failed (property {@link #WIRE_FAILURE}); the status and headers without a body when the
 * body broke off or the attempt's deadline cut it (property {@link #BODY_FAILURE}).
 */
public final class ReadResponse implements Processor {

    /** The exception of the HTTP call itself (connection refused, timeout), set by SendRequest. */
    public static final String WIRE_FAILURE = "heraldWireFailure";
    /** The exception that ended the body after the status and headers had come, set by SendRequest. */
    public static final String BODY_FAILURE = "heraldBodyFailure";

    private final int maxResponseBytes;

    public ReadResponse(int maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        if (exchange.getProperty(WIRE_FAILURE) == null) {
            job.response = ReceiverResponse.read(exchange.getMessage(), maxResponseBytes,
                    exchange.getProperty(BODY_FAILURE, Exception.class));
        }
    }
}
