package dev.herald.api;

import dev.herald.delivery.log.Delivery;
import dev.herald.delivery.log.DeliverySearch;
import dev.herald.error.HeraldException;
import dev.herald.event.EventLog;
import dev.herald.store.Database;
import dev.herald.subscription.EventTypes;
import dev.herald.tenancy.Scope;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code GET /v1/deliveries} and {@code GET /v1/events}: the delivery log and the event log, newest first. */
public final class SearchApi {

    private static final Set<String> STATUSES = Set.of(Delivery.PENDING, Delivery.SUCCESS, Delivery.FAILED);
    /** A delivery id as Ids makes them: the deliveries' cursor. */
    private static final Pattern DELIVERY_ID = Pattern.compile("del_[0-9A-HJKMNP-TV-Z]{26}");

    private final Database db;
    private final DeliverySearch deliveries;
    private final EventLog events;
    private final int pageSize;

    public SearchApi(Database db, DeliverySearch deliveries, EventLog events, int pageSize) {
        this.db = db;
        this.deliveries = deliveries;
        this.events = events;
        this.pageSize = pageSize;
    }

    /** Across webhooks; an unknown webhook_id is a filter that matches nothing, not a 404. */
    public ApiResponse deliveries(@Header("status") String status, @Header("webhook_id") String webhookId,
                                  @Header("event_type") String eventType, @Header("since") String since,
                                  @Header("until") String until, @Header("limit") String limit,
                                  @Header("cursor") String cursor, @Header("application") String application,
                                  @ExchangeProperty(Scope.PROPERTY) Scope scope) {
        int n = ApiInput.limit(limit, pageSize);
        String s = blankToNull(status);
        if (s != null && !STATUSES.contains(s)) {
            throw HeraldException.invalid("status", "status must be pending, success or failed");
        }
        String after = blankToNull(cursor);
        if (after != null && !DELIVERY_ID.matcher(after).matches()) {
            throw HeraldException.invalid("cursor", "cursor must be the next_cursor of a previous page");
        }
        String webhook = blankToNull(webhookId);
        String type = type(eventType, "event_type");
        Long from = ApiInput.time(since, "since");
        Long to = ApiInput.time(until, "until");
        ApiInput.window(from, to);
        DeliverySearch.Page page = db.read(c -> deliveries.search(c, new DeliverySearch.Filter(s, webhook, type, from, to,
                ScopedApplications.filter(c, scope, application)), after, n));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deliveries", page.rows().stream().map(Views::delivery).toList());
        out.put("has_more", page.nextCursor() != null);
        out.put("next_cursor", page.nextCursor());
        return ApiResponse.ok(out);
    }

    /** Newest first by when Herald received them (not by id: a client may choose any id). */
    public ApiResponse events(@Header("type") String type, @Header("since") String since, @Header("until") String until,
                              @Header("limit") String limit, @Header("cursor") String cursor,
                              @Header("application") String application,
                              @ExchangeProperty(Scope.PROPERTY) Scope scope) {
        int n = ApiInput.limit(limit, pageSize);
        EventLog.Position after = null;
        if (blankToNull(cursor) != null) {
            after = EventLog.Position.decode(cursor.trim()).orElseThrow(() ->
                    HeraldException.invalid("cursor", "cursor must be the next_cursor of a previous page"));
        }
        String t = type(type, "type");
        Long from = ApiInput.time(since, "since");
        Long to = ApiInput.time(until, "until");
        ApiInput.window(from, to);
        EventLog.Position start = after;
        EventLog.Page page = db.read(c -> events.search(c, new EventLog.Filter(t, from, to,
                ScopedApplications.filter(c, scope, application)), start, n));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", page.rows().stream().map(Views::event).toList());
        out.put("has_more", page.next() != null);
        out.put("next_cursor", page.next() == null ? null : page.next().encode());
        return ApiResponse.ok(out);
    }

    /** A type to filter on: any text up to the longest a type can be (one that was never sent matches nothing). */
    private static String type(String value, String field) {
        String t = blankToNull(value);
        if (t != null && t.length() > EventTypes.MAX_LENGTH) {
            throw HeraldException.invalid(field, field + " is at most " + EventTypes.MAX_LENGTH + " characters");
        }
        return t;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
