package dev.herald.lifecycle;

import dev.herald.event.NewEvent;
import dev.herald.ingest.EventParser;
import dev.herald.store.Ids;
import dev.herald.store.Json;
import dev.herald.store.SqlFailures;
import dev.herald.subscription.EventTypes;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Herald's own events, sent through {@code direct:ingest} like any source's: stored, matched to
 * the webhooks that subscribe to them (a pattern naming {@code herald.}; {@code *} does not) and
 * delivered, signed and retried like any other. Given as an already parsed batch: the parser
 * refuses the reserved namespace to every source.
 */
public final class OperationalEvents {

    public static final String WEBHOOK_DISABLED = "herald.webhook.disabled";
    public static final String DELIVERY_EXHAUSTED = "herald.delivery.exhausted";
    public static final String ENDPOINT_OPENED = "herald.endpoint.opened";
    public static final String ENDPOINT_CLOSED = "herald.endpoint.closed";

    private static final Logger LOG = LoggerFactory.getLogger(OperationalEvents.class);

    private final ProducerTemplate producer;

    public OperationalEvents(ProducerTemplate producer) {
        this.producer = producer;
    }

    /**
     * Would emitting be a loop? An attempt that delivers an operational event never emits one: a
     * failing operator endpoint would otherwise be sent news of its own failures, for ever.
     */
    static boolean fromOperationalEvent(String eventType) {
        return EventTypes.isReserved(eventType);
    }

    /** An event of the operator's own: its webhooks alone get it (an endpoint may serve several applications). */
    void emit(String type, Map<String, Object> data) {
        emit(type, null, data);
    }

    /**
     * Stores the event and queues its deliveries; a failure (the database away) is logged, not thrown.
     * {@code applicationId}: the application whose webhook it is about (null: the operator's own); its
     * webhooks that subscribe get it, and so do the operator's (ingest fans herald.* out to both).
     */
    void emit(String type, String applicationId, Map<String, Object> data) {
        NewEvent event = new NewEvent(Ids.event(), type, System.currentTimeMillis(), Json.write(data), applicationId);
        try {
            producer.sendBody("direct:ingest", new EventParser.Batch(List.of(event), true));
        } catch (RuntimeException e) {
            LOG.warn("Could not store the operational event {} {}: {}", type, event.id(), SqlFailures.reason(e));
        }
    }
}
