package dev.herald.delivery.flow;

import dev.herald.delivery.log.Trigger;
import dev.herald.event.StoredEvent;
import dev.herald.subscription.RateLimit;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaEndpoint;

import java.util.List;

/**
 * The in-memory hand-off to the {@code deliver} route (its {@code seda:dispatch} queue). It is
 * only a fast path: every ticket's row is already committed, so a ticket lost here (full
 * queue, crash) is claimed again by the scheduler once its lease expires.
 *
 * <p>New work (from ingest, claims, the API) fills at most half the queue: the other half is
 * room for tickets handed back by the endpoint limiter, so they always find a place. Room is
 * counted against queued plus parked tickets.
 */
public final class DispatchQueue {

    /** The route that consumes the queue: producing to its own endpoint, the sizes cannot disagree. */
    static final String ROUTE = "deliver";

    private final CamelContext context;
    private final long leaseMillis;
    private final Leases leases;
    private final EndpointLimiter limiter;
    private final EndpointBreaker breaker;
    private final java.util.function.Function<String, String> webhookUrls;
    private final WebhookPace pace;
    private volatile SedaEndpoint endpoint;
    private volatile ProducerTemplate producer;

    /** {@code webhookUrls}: a webhook's URL when known without a database read, else null. */
    public DispatchQueue(CamelContext context, long leaseMillis, Leases leases, EndpointLimiter limiter,
                         EndpointBreaker breaker, java.util.function.Function<String, String> webhookUrls,
                         WebhookPace pace) {
        this.pace = pace;
        this.breaker = breaker;
        this.context = context;
        this.webhookUrls = webhookUrls;
        this.limiter = limiter;
        this.leaseMillis = leaseMillis;
        this.leases = leases;
    }

    public EndpointLimiter limiter() {
        return limiter;
    }

    public EndpointBreaker breaker() {
        return breaker;
    }

    /** The pace of rate-limited webhooks: what ingest and the scheduler may hand over of each ({@link WebhookPace#budget}). */
    public WebhookPace pace() {
        return pace;
    }

    /**
     * True when tickets for this URL's endpoint should stay in the database for now: it parks its
     * share ({@link EndpointLimiter}) or its breaker is open ({@link EndpointBreaker}).
     */
    boolean saturated(String url) {
        String key = EndpointLimiter.key(url);
        return limiter.saturated(key) || breaker.holding(key, System.currentTimeMillis());
    }

    /** A row for this URL's endpoint was left in the database: the scheduler is to claim it when there is room. */
    void leftBehind(String url) {
        limiter.backlog(EndpointLimiter.key(url));
    }

    /**
     * A ticket under a new lease of this instance, the one place delivery's leases are issued: for
     * new rows ({@link Intake}), claimed rows ({@link Scheduler}) and re-armed ones ({@link Redelivery}).
     * Its row is written with the ticket's token, leased until {@link #leaseUntil}, before it is offered.
     */
    DispatchTicket issue(String deliveryId, Trigger trigger, DispatchTicket.Fresh fresh) {
        return new DispatchTicket(deliveryId, nextToken(), trigger, fresh);
    }

    /** A new lease token; only for a claim, which writes the tokens before its tickets are made. */
    String nextToken() {
        return leases.next();
    }

    /** When a lease issued at {@code now} ends (herald.delivery.lease). */
    long leaseUntil(long now) {
        return now + leaseMillis;
    }

    /** A SQL LIKE pattern matching every lease token this run issued. */
    String ownLeases() {
        return leases.mine();
    }

    /** The leases of one transaction that writes new rows (ingest), decided from {@code now}. */
    public Intake intake(long now) {
        return new Intake(remainingCapacity(), now);
    }

    /**
     * New rows are leased to this instance, each with its ticket, only while the queue has room
     * and their endpoint is not saturated (parks its share already, or its breaker is open), and a
     * rate-limited webhook only what it may send soon ({@link WebhookPace#budget});
     * otherwise they wait for the scheduler, which is told. One per transaction, one thread.
     */
    public final class Intake {

        private int room;
        private final long now;
        private final WebhookPace.Budget paced = pace.budget();

        private Intake(int room, long now) {
            this.room = room;
            this.now = now;
        }

        /** The ticket of a new row of {@code event} for the webhook at {@code url}, or null when it waits unleased. */
        public DispatchTicket lease(String deliveryId, Trigger trigger, StoredEvent event, String webhookId, String url,
                                    RateLimit rateLimit) {
            if (room <= 0 || saturated(url) || !paced.take(webhookId, rateLimit)) {
                leftBehind(url);
                return null;
            }
            room--;
            return issue(deliveryId, trigger, new DispatchTicket.Fresh(event, webhookId, leaseUntil(now), 0));
        }
    }

    public int remainingCapacity() {
        SedaEndpoint e = endpoint();
        return e == null ? 0 : Math.max(0, e.getSize() / 2 - e.getQueue().size() - limiter.parked());
    }

    /** Tickets waiting in this instance: queued for the deliver route, or parked until their endpoint has a free slot. */
    public int depth() {
        SedaEndpoint e = endpoint();
        return (e == null ? 0 : e.getQueue().size()) + limiter.parked();
    }

    /** Queues again the parked tickets whose endpoint has room (see {@link EndpointLimiter#unparkFree}). */
    public int requeueParked() {
        List<DispatchTicket> tickets = limiter.unparkFree();
        offerAll(tickets);
        return tickets.size();
    }

    public void offerAll(List<DispatchTicket> tickets) {
        if (tickets == null || tickets.isEmpty()) {
            return;
        }
        if (endpoint() == null) {
            return;
        }
        for (DispatchTicket ticket : tickets) {
            DispatchTicket t = slotOrPark(ticket);
            if (t == null) {
                continue;
            }
            try {
                producer.sendBody(endpoint, t);
            } catch (org.apache.camel.CamelExecutionException full) {
                // Queue full. A plain ticket is dropped (its row comes back when the lease ends);
                // one holding an endpoint slot gives the slot back and waits parked.
                if (t.permit() != null) {
                    limiter.returnUnqueued(t);
                }
            }
        }
    }

    /**
     * A ticket whose endpoint is known here takes its slot now, or parks at once: with a busy
     * endpoint most tickets park, and they no longer travel through the queue only to be parked
     * by a delivery thread. Returns the ticket to queue, or null when it parked.
     */
    private DispatchTicket slotOrPark(DispatchTicket t) {
        if (t.permit() != null || t.fresh() == null) {
            return t;
        }
        String url = webhookUrls.apply(t.fresh().webhookId());
        if (url == null) {
            return t; // LoadDelivery looks the webhook up
        }
        String key = EndpointLimiter.key(url);
        return limiter.acquireOrPark(key, t) ? t.withPermit(key) : null;
    }

    private SedaEndpoint endpoint() {
        if (endpoint == null) {
            synchronized (this) {
                if (endpoint == null) {
                    org.apache.camel.Route route = context.getRoute(ROUTE);
                    if (route == null) {
                        return null; // not added yet: nothing is queued before the routes exist
                    }
                    producer = context.createProducerTemplate();
                    // Not blockWhenFull: a full queue fails the send, so offerAll knows what was not queued.
                    endpoint = (SedaEndpoint) route.getEndpoint();
                }
            }
        }
        return endpoint;
    }
}
