package dev.herald.delivery.log;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.herald.event.StoredEvent;
import dev.herald.subscription.Webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Renders the bytes a receiver gets, once per delivery: they are what is signed, sent
 * and logged. The event's data is already compact JSON, so the envelope is assembled
 * around it, keys in the documented order.
 */
public final class PayloadRenderer {

    private PayloadRenderer() {
    }

    public static byte[] render(Webhook webhook, StoredEvent event) {
        return render(webhook.payloadFormat(), event);
    }

    /** The same bytes for the same format and event, so the log can render what an attempt sent. */
    public static byte[] render(String payloadFormat, StoredEvent event) {
        // Room for the envelope around the data: the builder never grows (a copy of it all).
        StringBuilder b = new StringBuilder(event.data().length() + event.ownId().length() + event.type().length() + 96);
        if (Webhook.EVENT_PAYLOAD.equals(payloadFormat)) {
            b.append("{\"event\":");
            string(b, event.type());
            b.append(",\"payload\":").append(event.data()).append('}');
        } else {
            b.append("{\"id\":");
            string(b, event.ownId());
            b.append(",\"type\":");
            string(b, event.type());
            b.append(",\"created_at\":\"").append(iso(event.createdAt())).append("\",\"data\":")
                    .append(event.data()).append('}');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** ISO-8601 UTC with Z; whole seconds print without a fraction. */
    public static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        b.append('"');
    }
}
