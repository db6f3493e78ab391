package dev.herald.delivery.step;

import dev.herald.delivery.flow.DispatchTicket;
import dev.herald.delivery.flow.EndpointSlot;
import dev.herald.delivery.flow.Holds;
import dev.herald.delivery.log.Delivery;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.store.Database;
import dev.herald.store.StoreException;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Step {@code LoadDelivery}: from a ticket to the delivery it names, if it is still
 * pending and still ours (its lease token), with a lease that outlasts the attempt. Stops
 * the exchange when there is nothing to send: the row is finished, claimed by another
 * owner, its webhook deleted or inactive (the row is then held), or Herald is stopping (the row
 * is then handed back).
 */
public final class LoadDelivery implements Processor {

    /** A lease shorter than the timeout plus this is renewed before the attempt. */
    private static final long LEASE_SAFETY = 5_000;
    private static final long LEASE_MARGIN = 15_000;

    private final Database db;
    private final DeliveryClaims deliveries;
    private final WebhookRepository webhooks;
    private final RetryPolicies policies;
    private final EndpointSlot slot;
    private final Holds holds;
    private final long timeoutMillis;
    private volatile boolean stopping;

    public LoadDelivery(Database db, DeliveryClaims deliveries, WebhookRepository webhooks, RetryPolicies policies,
                        EndpointSlot slot, Holds holds, long timeoutMillis) {
        this.holds = holds;
        this.db = db;
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.policies = policies;
        this.slot = slot;
        this.timeoutMillis = timeoutMillis;
    }

    /** Herald is stopping: tickets still taken hand their rows back, so the next start takes them at once. */
    public void stopping() {
        stopping = true;
    }

    @Override
    public void process(Exchange exchange) {
        DispatchTicket ticket = exchange.getMessage().getBody(DispatchTicket.class);
        if (ticket.permit() != null) {
            // Handed back by the endpoint limiter with a slot: this attempt uses it, or passes it on when it ends.
            slot.hold(exchange, ticket.permit());
        }
        DeliveryJob job = stopping ? handBack(ticket) : load(ticket);
        if (job == null) {
            exchange.setRouteStop(true);
        } else {
            exchange.setProperty(DeliveryJob.PROPERTY, job);
        }
    }

    private DeliveryJob handBack(DispatchTicket ticket) {
        db.read(c -> deliveries.releaseLeases(c, ticket.leaseToken()));
        return null;
    }

    private DeliveryJob load(DispatchTicket ticket) {
        long now = System.currentTimeMillis();
        DispatchTicket.Fresh state = ticket.fresh();
        // A ticket written or claimed a moment ago, under a lease nobody else can take yet, carries
        // what the row holds. Otherwise the row is read back: it may be finished or claimed anew.
        if (state == null || state.leaseUntil() <= now + timeoutMillis + LEASE_SAFETY) {
            state = db.read(c -> deliveries.workState(c, ticket.deliveryId()))
                    .filter(s -> Delivery.PENDING.equals(s.status()) && ticket.leaseToken().equals(s.leaseToken()))
                    .map(s -> new DispatchTicket.Fresh(s.event(), s.webhookId(), s.leaseUntil(), s.attempts()))
                    .orElse(null);
            if (state == null) {
                return null;
            }
        }
        // A webhook deleted meanwhile is gone from the repository's view, and the delivery with it.
        Optional<Webhook> webhook;
        try {
            webhook = webhooks.findCached(id -> db.read(c -> webhooks.find(c, id)), state.webhookId());
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        if (webhook.isEmpty()) {
            return null;
        }
        Webhook w = webhook.get();
        // With auth an attempt may take three requests in turn, each within the timeout: a 401 to the
        // cached token, a new token, the request again (a token fetch and the request, without a 401).
        long attemptMillis = w.auth() == null ? timeoutMillis : 3 * timeoutMillis;
        long leaseUntil = state.leaseUntil();
        if (leaseUntil < now + attemptMillis + LEASE_SAFETY) {
            long until = now + attemptMillis + LEASE_MARGIN;
            if (!db.read(c -> deliveries.renewLease(c, ticket.deliveryId(), ticket.leaseToken(), until))) {
                return null;
            }
            leaseUntil = until;
        }
        if (!w.active()) {
            // Paused or disabled: the row waits, its attempts untouched, until the webhook is active again.
            // Relaxed: a hold lost in a crash leaves the row leased; it is claimed and held again.
            db.inRelaxedTransaction(c -> {
                holds.holdWhileInactive(c, ticket.deliveryId(), ticket.leaseToken(), w.id());
                return null;
            });
            return null;
        }
        return new DeliveryJob(ticket.deliveryId(), ticket.leaseToken(), ticket.trigger(), w, state.event(),
                policies.forWebhook(w), state.attempts(), leaseUntil);
    }
}
