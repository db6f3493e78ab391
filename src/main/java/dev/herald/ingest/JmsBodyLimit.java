package dev.herald.ingest;

import dev.herald.error.HeraldException;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;

/**
 * A JMS message may hold as much as an HTTP request (herald.ingest.max-request-bytes);
 * a larger one is refused as {@code payload_too_large} and so dead-lettered with that
 * reason. A bytes message is measured before its body is read.
 */
public final class JmsBodyLimit implements Processor {

    private final long maxBytes;

    public JmsBodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void process(Exchange exchange) throws JMSException, InvalidPayloadException {
        Message message = exchange.getMessage();
        if (message instanceof JmsMessage jms && jms.getJmsMessage() instanceof BytesMessage bytes) {
            refuseAbove(bytes.getBodyLength());
            return;
        }
        // Text: measured as the UTF-8 bytes ingest reads anyway, so the body is converted once.
        if (message.getBody() != null) {
            byte[] body = message.getMandatoryBody(byte[].class);
            refuseAbove(body.length);
            message.setBody(body);
        }
    }

    private void refuseAbove(long size) {
        if (size > maxBytes) {
            throw HeraldException.tooLarge(null, "the message body is " + size + " bytes; a JMS message may hold "
                    + maxBytes + " (herald.ingest.max-request-bytes)");
        }
    }
}
