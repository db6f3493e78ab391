package dev.herald.ingest;

import dev.herald.delivery.log.Trigger;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.delivery.flow.DispatchQueue;
import dev.herald.delivery.flow.DispatchTicket;
import dev.herald.delivery.log.NewDelivery;
import dev.herald.delivery.log.OrderLanes;
import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import dev.herald.event.StoredEvent;
import dev.herald.filter.PayloadFilter;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.subscription.EventTypes;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code direct:ingest} does (step {@link StoreEvents}): stores events and their fan-out in one transaction
 * and only then returns, so a source acknowledges nothing that is not committed.
 * An event id seen before is accepted again without new deliveries.
 */
public final class IngestService {

    /** Exchange property carrying the tickets to dispatch once the transaction committed. */
    public static final String TICKETS = "heraldTickets";

    private final Database db;
    private final EventParser parser;
    private final WebhookRepository webhooks;
    private final EventStore eventStore;
    private final DeliveryClaims claims;
    private final DispatchQueue queue;

    public IngestService(Database db, EventParser parser, WebhookRepository webhooks, EventStore eventStore,
                         DeliveryClaims claims, DispatchQueue queue) {
        this.db = db;
        this.parser = parser;
        this.webhooks = webhooks;
        this.eventStore = eventStore;
        this.claims = claims;
        this.queue = queue;
    }

    /**
     * Exchange property a source sets to name where the body came from (a JMS message id, a
     * file); events without an id then get ids derived from it, stable across redelivery.
     */
    public static final String SOURCE_KEY = "heraldSourceKey";

    /**
     * Exchange property naming the application (its id) every event of the request is for: set by the
     * HTTP source for {@code POST /v1/applications/{app}/events} and for an application's key. An event
     * without an application goes to it; one naming another is refused as naming an unknown one
     * ({@link EventParser#parse(byte[], String, String)}).
     */
    public static final String APPLICATION = "heraldApplication";

    /**
     * The body is JSON (bytes or text) or a batch a source has parsed already
     * (NDJSON lines); {@link IngestReply} out, tickets in {@link #TICKETS}.
     */
    public IngestReply accept(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        EventParser.Batch batch = body instanceof EventParser.Batch b ? b
                : parser.parse(body == null ? null : exchange.getMessage().getMandatoryBody(byte[].class),
                        exchange.getProperty(SOURCE_KEY, String.class), exchange.getProperty(APPLICATION, String.class));
        List<DispatchTicket> tickets = new ArrayList<>();
        IngestReply reply = store(batch.events(), batch.single(), tickets, null);
        exchange.setProperty(TICKETS, tickets);
        return reply;
    }

    /**
     * Stores one event for {@code webhook} alone, active or not, whatever its subscriptions
     * (the API's test send), and queues its delivery at once.
     */
    public IngestReply storeFor(Webhook webhook, NewEvent event) {
        List<DispatchTicket> tickets = new ArrayList<>();
        // The webhook's application's event, shown to it with the delivery (null: the operator's own).
        IngestReply reply = store(List.of(event.forApplication(webhook.applicationId())), true, tickets, webhook);
        queue.offerAll(tickets);
        return reply;
    }

    /** Stores events; when {@code onlyWebhook} is given the fan-out is that webhook alone. */
    private IngestReply store(List<NewEvent> events, boolean single, List<DispatchTicket> tickets, Webhook onlyWebhook) {
        try {
            return db.inTransaction(c -> storeIn(c, events, single, tickets, onlyWebhook));
        } catch (RuntimeException e) {
            if (!Database.isDuplicateKey(e)) {
                throw e;
            }
            // Another transaction stored one of these ids first; the second pass sees it.
            tickets.clear();
            return db.inTransaction(c -> storeIn(c, events, single, tickets, onlyWebhook));
        }
    }

    private IngestReply storeIn(Connection c, List<NewEvent> events, boolean single, List<DispatchTicket> tickets,
                                Webhook onlyWebhook) throws SQLException {
        long now = System.currentTimeMillis();
        // Ids are idempotent per application: the stored key names both (EventKey).
        Set<String> seen = eventStore.existingEventIds(c, events.stream().map(NewEvent::key).toList());
        List<NewEvent> fresh = new ArrayList<>();
        List<IngestReply.Accepted> accepted = new ArrayList<>(events.size());
        List<NewDelivery> rows = new ArrayList<>();
        Map<String, List<Webhook>> matchesByType = new HashMap<>();
        if (onlyWebhook == null) {
            webhooksOfApplications(c, events, matchesByType);
        }
        // Each event's targets once: both passes below need them, and payload filters read the event's data.
        Map<NewEvent, List<Webhook>> targetsOf = new java.util.IdentityHashMap<>();
        Set<String> inThisBatch = new HashSet<>();
        // Delivery decides which new rows this instance leases (and sends at once) and which wait for the scheduler.
        DispatchQueue.Intake intake = queue.intake(now);
        // Deliveries of ordered webhooks join their line (test sends stay out of it): only a line's head is due.
        List<OrderLanes.Entry> lined = new ArrayList<>();
        for (NewEvent e : events) {
            if (seen.contains(e.key()) || !inThisBatch.add(e.key())) {
                continue;
            }
            for (Webhook w : targetsOf.computeIfAbsent(e, x -> targets(c, x, onlyWebhook, matchesByType))) {
                if (w.ordering() != null && onlyWebhook == null) {
                    lined.add(new OrderLanes.Entry(Ids.delivery(), w.id(), w.ordering().keyOf(e.type(), e.data())));
                }
            }
        }
        Set<String> heads = lined.isEmpty() ? Set.of() : claims.lanes().enqueue(c, lined);
        java.util.Iterator<OrderLanes.Entry> nextLined = lined.iterator();
        inThisBatch.clear();
        for (NewEvent e : events) {
            if (seen.contains(e.key()) || !inThisBatch.add(e.key())) {
                accepted.add(new IngestReply.Accepted(e.id(), true, List.of()));
                continue;
            }
            fresh.add(e);
            List<Webhook> targets = targetsOf.computeIfAbsent(e, x -> targets(c, x, onlyWebhook, matchesByType));
            List<String> ids = new ArrayList<>(targets.size());
            StoredEvent stored = new StoredEvent(e.key(), e.type(), e.createdAt(), e.data(), now);
            for (Webhook w : targets) {
                boolean ordered = w.ordering() != null && onlyWebhook == null;
                String id = ordered ? nextLined.next().deliveryId() : Ids.delivery();
                ids.add(id);
                if (ordered && !heads.contains(id)) {
                    rows.add(new NewDelivery(id, e.key(), w.id(), null, null, true, w.applicationId()));
                    continue;
                }
                DispatchTicket ticket = intake.lease(id, onlyWebhook != null ? Trigger.TEST : Trigger.SCHEDULED, stored,
                        w.id(), w.url(), w.rateLimit());
                if (ticket != null) {
                    rows.add(new NewDelivery(id, e.key(), w.id(), ticket.leaseToken(), ticket.fresh().leaseUntil())
                            .ofApplication(w.applicationId()));
                    tickets.add(ticket);
                } else {
                    rows.add(new NewDelivery(id, e.key(), w.id(), null, null).ofApplication(w.applicationId()));
                }
            }
            accepted.add(new IngestReply.Accepted(e.id(), false, ids));
        }
        if (!fresh.isEmpty()) {
            eventStore.insertEvents(c, fresh, now);
            claims.insertDeliveries(c, rows, now);
        }
        return new IngestReply(accepted, single);
    }

    /**
     * A batch spread over several applications reads all their webhooks in one query and matches
     * types here, instead of one query per application and type: the cost stays that of the
     * applications' own webhooks. Fills {@code matchesByType} as {@link #matching} would.
     */
    private void webhooksOfApplications(Connection c, List<NewEvent> events, Map<String, List<Webhook>> matchesByType)
            throws SQLException {
        Set<String> applications = new HashSet<>();
        for (NewEvent e : events) {
            if (e.applicationId() != null && !EventTypes.isReserved(e.type())) {
                applications.add(e.applicationId());
            }
        }
        if (applications.size() < 2) {
            return;
        }
        Map<String, List<Webhook>> byApplication = webhooks.activeOfApplications(c, applications);
        for (NewEvent e : events) {
            if (e.applicationId() == null || EventTypes.isReserved(e.type())) {
                continue;
            }
            matchesByType.computeIfAbsent(e.applicationId() + " " + e.type(), k -> {
                List<String> patterns = EventTypes.patternsMatching(e.type());
                return byApplication.getOrDefault(e.applicationId(), List.of()).stream()
                        .filter(w -> w.events().stream().anyMatch(patterns::contains)).toList();
            });
        }
    }

    /** {@code matchesByType}: per application and type, the webhooks a batch's events of them go to. */
    private List<Webhook> targets(Connection c, NewEvent e, Webhook onlyWebhook, Map<String, List<Webhook>> matchesByType) {
        if (onlyWebhook != null) {
            return List.of(onlyWebhook);
        }
        return accepting(matchesByType.computeIfAbsent(e.applicationId() + " " + e.type(),
                k -> matching(c, e.applicationId(), e.type())), e);
    }

    /**
     * The webhooks whose payload filter lets {@code e} through; {@code subscribed} itself when none of
     * them has a filter: then the event's data is not even parsed.
     */
    static List<Webhook> accepting(List<Webhook> subscribed, NewEvent e) {
        boolean filtered = false;
        for (Webhook w : subscribed) {
            filtered |= w.filter() != null;
        }
        if (!filtered) {
            return subscribed;
        }
        com.fasterxml.jackson.databind.JsonNode seen = PayloadFilter.event(e.id(), e.type(), e.applicationId(), e.data());
        return subscribed.stream().filter(w -> w.accepts(seen)).toList();
    }

    /**
     * An application's event goes to its webhooks alone; the operator's own to the operator's webhooks.
     * Herald's operational events about an application's webhook (herald.*) go to the operator's too.
     */
    private List<Webhook> matching(Connection c, String application, String type) {
        try {
            List<Webhook> own = webhooks.activeMatching(c, type, application);
            if (application == null || !EventTypes.isReserved(type)) {
                return own;
            }
            List<Webhook> both = new ArrayList<>(own);
            both.addAll(webhooks.activeMatching(c, type, null));
            return both;
        } catch (SQLException e) {
            throw new dev.herald.store.StoreException(e);
        }
    }
}
