package dev.herald.delivery.log;

import dev.herald.error.HeraldException;
import dev.herald.event.EventLog;
import dev.herald.filter.PayloadFilter;
import dev.herald.store.BoundQuery;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.subscription.EventTypes;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A webhook's replay: a new delivery for every stored event of a window that its subscription
 * matches and that it has no delivery for yet (events from before it existed or while it was
 * paused). The window is read oldest first a page at a time, one transaction per page, so a
 * window of millions of events holds neither one long transaction nor the heap. Each page locks
 * the webhook row first: two replays of one webhook take turns page by page, and the second sees
 * what the first committed, so no event gets two deliveries.
 */
public final class Replay {

    /** Events per transaction. */
    static final int PAGE = 1000;

    private final Database db;
    private final WebhookRepository webhooks;
    private final EventLog log;
    private final DeliveryClaims claims;

    public Replay(Database db, WebhookRepository webhooks, EventLog log, DeliveryClaims claims) {
        this.db = db;
        this.webhooks = webhooks;
        this.log = log;
        this.claims = claims;
    }

    private record Step(int made, EventLog.Position next) {
    }

    /**
     * Replays events received in [since, until); the number of deliveries made. They are pending,
     * unleased and due now: the scheduler claims them at its next poll. 404 when there is no such webhook.
     */
    public int replay(String webhookId, long since, long until) {
        int made = 0;
        EventLog.Position after = null;
        boolean first = true;
        while (true) {
            EventLog.Position from = after;
            boolean firstPage = first;
            Step step = db.inTransaction(c -> page(c, webhookId, since, until, from, firstPage));
            made += step.made();
            if (step.next() == null) {
                return made;
            }
            after = step.next();
            first = false;
        }
    }

    private Step page(Connection c, String webhookId, long since, long until, EventLog.Position after, boolean first)
            throws SQLException {
        Webhook w = webhooks.findForUpdate(c, webhookId).orElse(null);
        if (w == null) {
            if (first) {
                throw HeraldException.notFound("webhook", webhookId);
            }
            return new Step(0, null); // deleted while replaying: its rows were ended with it
        }
        List<EventLog.Ref> events = log.oldestFirst(c, since, until, after, PAGE);
        Map<String, Boolean> subscribed = new HashMap<>();
        List<String> matching = new ArrayList<>();
        for (EventLog.Ref e : events) {
            if (forWebhookOf(w.applicationId(), e) && subscribed.computeIfAbsent(e.type(), t -> replayable(w, t))) {
                matching.add(e.id());
            }
        }
        if (w.filter() != null && !matching.isEmpty()) {
            matching = passing(c, w, matching);
        }
        Set<String> delivered = deliveredEvents(c, webhookId, matching);
        // created_at is read before the ids are made: an id is never older than its created_at (DeliverySearch).
        long now = System.currentTimeMillis();
        List<NewDelivery> rows = new ArrayList<>();
        for (String eventId : matching) {
            if (!delivered.contains(eventId)) {
                rows.add(new NewDelivery(Ids.delivery(), eventId, webhookId, null, null).ofApplication(w.applicationId()));
            }
        }
        if (w.ordering() != null && !rows.isEmpty()) {
            rows = inLines(c, w, rows);
        }
        if (!rows.isEmpty()) {
            claims.insertDeliveries(c, rows, now);
        }
        EventLog.Ref last = events.isEmpty() ? null : events.get(events.size() - 1);
        return new Step(rows.size(), events.size() < PAGE ? null : new EventLog.Position(last.receivedAt(), last.id()));
    }

    /** The events of {@code eventIds} the webhook's payload filter lets through, in the same order. */
    private static List<String> passing(Connection c, Webhook w, List<String> eventIds) throws SQLException {
        Map<String, dev.herald.event.StoredEvent> events = new dev.herald.event.EventStore().findEvents(c, eventIds);
        List<String> out = new ArrayList<>(eventIds.size());
        for (String id : eventIds) {
            dev.herald.event.StoredEvent e = events.get(id);
            // Replay reads the webhook's own application's events only: theirs is the webhook's.
            if (e != null && w.accepts(PayloadFilter.event(e.ownId(), e.type(), w.applicationId(), e.data()))) {
                out.add(id);
            }
        }
        return out;
    }

    /** An ordered webhook's replayed deliveries join their lines after what is in them, oldest event first. */
    private List<NewDelivery> inLines(Connection c, Webhook w, List<NewDelivery> rows) throws SQLException {
        Map<String, dev.herald.event.StoredEvent> events = new dev.herald.event.EventStore().findEvents(c,
                rows.stream().map(NewDelivery::eventId).toList());
        List<OrderLanes.Entry> entries = new ArrayList<>(rows.size());
        for (NewDelivery d : rows) {
            dev.herald.event.StoredEvent e = events.get(d.eventId());
            entries.add(new OrderLanes.Entry(d.id(), w.id(), w.ordering().keyOf(e.type(), e.data())));
        }
        Set<String> heads = claims.lanes().enqueue(c, entries);
        return rows.stream().map(d -> new NewDelivery(d.id(), d.eventId(), d.webhookId(), null, null,
                !heads.contains(d.id()), d.applicationId())).toList();
    }

    /**
     * Would ingest have sent this event to a webhook of {@code application} (null: the operator's own)?
     * An application's events go to its own webhooks; its operational events (herald.*) to the operator's too.
     */
    static boolean forWebhookOf(String application, EventLog.Ref e) {
        String of = dev.herald.event.EventKey.applicationId(e.id());
        return java.util.Objects.equals(of, application) || (application == null && EventTypes.isReserved(e.type()));
    }

    /**
     * Matched by the webhook's subscription. Events of the test call's type {@code test} only when it
     * names that type: a catch-all would otherwise receive the test sends made to other webhooks.
     */
    static boolean replayable(Webhook w, String type) {
        if (TEST_TYPE.equals(type) && !w.events().contains(TEST_TYPE)) {
            return false;
        }
        return w.events().stream().anyMatch(p -> EventTypes.matches(p, type));
    }

    /** The type of the events {@code POST /v1/webhooks/{id}/test} sends. */
    public static final String TEST_TYPE = "test";

    /** The query for up to a page of events' deliveries, by the index on event_id. */
    public static BoundQuery deliveriesOfEvents(List<String> eventIds) {
        // The webhook is compared in Java: given to the database, H2 may walk the webhook's index
        // (every delivery it ever had) instead of looking up these few events.
        return new BoundQuery("SELECT event_id, webhook_id FROM delivery WHERE event_id IN ("
                + String.join(", ", Collections.nCopies(eventIds.size(), "?")) + ")", new ArrayList<>(eventIds));
    }

    private Set<String> deliveredEvents(Connection c, String webhookId, List<String> eventIds) throws SQLException {
        Set<String> out = new HashSet<>();
        for (int from = 0; from < eventIds.size(); from += PAGE) {
            try (PreparedStatement ps = deliveriesOfEvents(eventIds.subList(from, Math.min(eventIds.size(), from + PAGE)))
                    .prepare(c, db.dialect()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (webhookId.equals(rs.getString(2))) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }
}
