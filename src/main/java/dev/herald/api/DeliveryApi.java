package dev.herald.api;

import dev.herald.delivery.log.Attempt;
import dev.herald.delivery.log.AttemptLog;
import dev.herald.delivery.log.Delivery;
import dev.herald.delivery.log.DeliveryReads;
import dev.herald.delivery.flow.Redelivery;
import dev.herald.error.HeraldException;
import dev.herald.event.EventStore;
import dev.herald.event.StoredEvent;
import dev.herald.store.Database;

import org.apache.camel.Header;

import java.util.List;
import java.util.Map;

/** {@code /v1/deliveries} and {@code /v1/events}: the delivery log, manual retry, events. */
public final class DeliveryApi {

    private final Database db;
    private final DeliveryReads deliveries;
    private final AttemptLog attempts;
    private final EventStore events;
    private final Redelivery redelivery;

    public DeliveryApi(Database db, DeliveryReads deliveries, AttemptLog attempts, EventStore events,
                       Redelivery redelivery) {
        this.db = db;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.events = events;
        this.redelivery = redelivery;
    }

    public ApiResponse get(@Header("id") String id) {
        return db.read(c -> {
            // Attempts first: an attempt and the row's state it led to commit together, and each read sees
            // the latest commit, so the row read second is never older than the last attempt shown.
            List<Attempt> log = attempts.read(c, id);
            Delivery d = deliveries.find(c, id).orElseThrow(() -> HeraldException.notFound("delivery", id));
            return ApiResponse.ok(Views.deliveryWithAttempts(d, log));
        });
    }

    /** One new attempt now; attempt numbers continue. 409 while the delivery is still pending. */
    public ApiResponse retry(@Header("id") String id) {
        if (!redelivery.retryNow(id)) {
            throw HeraldException.conflict("delivery " + id + " is pending; it will be attempted on its schedule");
        }
        return ApiResponse.accepted(Map.of("id", id, "status", Delivery.PENDING));
    }

    /** Ends a delivery still in its ordered line as failed; the next one of its key goes. 409 when it is in no line. */
    public ApiResponse skip(@Header("id") String id) {
        if (!redelivery.skip(id)) {
            throw HeraldException.conflict("delivery " + id + " is not waiting in an ordered line nor blocking one;"
                    + " only those can be skipped");
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", id);
        out.put("status", Delivery.FAILED);
        return ApiResponse.ok(out);
    }

    public ApiResponse event(@Header("id") String id) {
        return db.read(c -> {
            StoredEvent e = events.findEvent(c, id).orElseThrow(() -> HeraldException.notFound("event", id));
            return ApiResponse.ok(Views.event(e, deliveries.listForEvent(c, id)));
        });
    }
}
