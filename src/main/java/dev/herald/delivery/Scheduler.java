package dev.herald.delivery;

import dev.herald.store.Database;

import java.util.List;

/**
 * Claims due rows (retries whose time came, rows no instance is working on, rows whose
 * owner died and whose lease expired) and queues them. Never claims more than the
 * queue can take, so leases are not wasted on work that would wait.
 */
public final class Scheduler {

    private final Database db;
    private final DeliveryRepository deliveries;
    private final DispatchQueue queue;
    private final int batchSize;

    public Scheduler(Database db, DeliveryRepository deliveries, DispatchQueue queue, int batchSize) {
        this.db = db;
        this.deliveries = deliveries;
        this.queue = queue;
        this.batchSize = batchSize;
    }

    /** One pass; returns how many rows were claimed. */
    public int claim() {
        queue.requeueParked();
        int total = 0;
        while (true) {
            int room = Math.min(batchSize, queue.remainingCapacity());
            if (room <= 0) {
                return total;
            }
            long now = System.currentTimeMillis();
            List<DispatchTicket> tickets = db.inRelaxedTransaction(c -> deliveries.claimDue(c, now, room,
                    now + queue.leaseMillis(), queue.leases()::next));
            queue.offerAll(tickets);
            total += tickets.size();
            if (tickets.size() < room) {
                return total;
            }
        }
    }

    /** On a clean stop: give this instance's leased rows back so they are taken at once on the next start. */
    public int releaseLeases() {
        return db.inTransaction(c -> deliveries.releaseLeases(c, queue.leases().mine()));
    }
}
