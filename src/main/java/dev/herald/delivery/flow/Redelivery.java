package dev.herald.delivery.flow;

import dev.herald.delivery.log.Trigger;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.delivery.log.DeliveryReads;
import dev.herald.delivery.log.OrderControls;
import dev.herald.error.HeraldException;
import dev.herald.store.Database;

import java.util.ArrayList;
import java.util.List;

/**
 * A finished delivery sent again on request (the API's manual retry and recovery): its row is
 * re-armed under a new lease of this instance, and its ticket queued once that is committed.
 */
public final class Redelivery {

    private final Database db;
    private final DeliveryClaims claims;
    private final DeliveryReads reads;
    private final DispatchQueue queue;
    private final Runnable claimNow;

    /** {@code claimNow}: asks the scheduler for a claim pass now (the next delivery of a line skipped is due). */
    public Redelivery(Database db, DeliveryClaims claims, DeliveryReads reads, DispatchQueue queue, Runnable claimNow) {
        this.claimNow = claimNow;
        this.db = db;
        this.claims = claims;
        this.reads = reads;
        this.queue = queue;
    }

    /**
     * One new attempt now; attempt numbers continue. False while the delivery is still pending
     * (it will be attempted on its schedule); a {@link HeraldException} 404 when there is none.
     */
    public boolean retryNow(String deliveryId) {
        DispatchTicket ticket = queue.issue(deliveryId, Trigger.MANUAL, null);
        boolean rearmed = db.inTransaction(c -> {
            reads.find(c, deliveryId).orElseThrow(() -> HeraldException.notFound("delivery", deliveryId));
            long now = System.currentTimeMillis();
            boolean done = claims.rearm(c, deliveryId, ticket.leaseToken(), queue.leaseUntil(now), now);
            if (done) {
                // The head of an ordered line that blocked it: tried again, the line waits for this attempt.
                claims.orderControls().unblock(c, deliveryId);
            }
            return done;
        });
        if (rearmed) {
            queue.offerAll(List.of(ticket));
        }
        return rearmed;
    }

    /**
     * {@code POST /v1/deliveries/{id}/skip}: a delivery still in its ordered line ends as failed and the
     * next one is due now. False when it is in no line (unordered, or finished and not blocking);
     * a {@link HeraldException} 404 when there is none.
     */
    public boolean skip(String deliveryId) {
        boolean skipped = db.inTransaction(c -> {
            reads.find(c, deliveryId).orElseThrow(() -> HeraldException.notFound("delivery", deliveryId));
            return claims.orderControls().skip(c, deliveryId, System.currentTimeMillis()) == OrderControls.Skipped.SKIPPED;
        });
        if (skipped) {
            claimNow.run(); // the next one of its line is due: claimed now, not at the next poll
        }
        return skipped;
    }

    /** One new attempt for every failed delivery of the webhook created at or after {@code since}; their ids. */
    public List<String> recover(String webhookId, long since) {
        List<DispatchTicket> tickets = db.inTransaction(c -> {
            List<DispatchTicket> out = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (String deliveryId : reads.failedSince(c, webhookId, since)) {
                DispatchTicket ticket = queue.issue(deliveryId, Trigger.RECOVER, null);
                if (claims.rearm(c, deliveryId, ticket.leaseToken(), queue.leaseUntil(now), now)) {
                    claims.orderControls().unblock(c, deliveryId);
                    out.add(ticket);
                }
            }
            return out;
        });
        queue.offerAll(tickets);
        return tickets.stream().map(DispatchTicket::deliveryId).toList();
    }
}
