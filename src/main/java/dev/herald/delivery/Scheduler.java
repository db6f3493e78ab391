package dev.herald.delivery;

import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claims due rows (retries whose time came, rows no instance is working on, rows whose
 * owner died and whose lease expired) and queues them. Never claims more than the
 * queue can take, so leases are not wasted on work that would wait. Nor more for one
 * endpoint than it can take ({@link EndpointLimiter#admissible}): the rows of a saturated
 * endpoint stay in the database, unclaimed, and the claim reaches past them to the others'.
 * Runs every poll interval, and at once when a saturated endpoint has room again.
 */
public final class Scheduler {

    private final Database db;
    private final DeliveryRepository deliveries;
    private final WebhookRepository webhooks;
    private final DispatchQueue queue;
    private final int batchSize;

    public Scheduler(Database db, DeliveryRepository deliveries, WebhookRepository webhooks, DispatchQueue queue,
                     int batchSize) {
        this.db = db;
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.queue = queue;
        this.batchSize = batchSize;
    }

    /** One pass; returns how many rows were claimed. One pass at a time (timer and wake-ups). */
    public synchronized int claim() {
        queue.requeueParked();
        EndpointLimiter limiter = queue.limiter();
        Set<String> saturated = limiter.saturatedKeys();
        Map<String, String> urls = urls();
        // Webhooks passed over for the rest of this pass: saturated endpoints, and endpoints that
        // had their share; each round either fills the room or adds to this list, so it ends.
        Set<String> excluded = new java.util.LinkedHashSet<>();
        urls.forEach((id, url) -> {
            if (saturated.contains(EndpointLimiter.key(url))) {
                excluded.add(id);
            }
        });
        Map<String, Integer> budget = new HashMap<>();
        int total = 0;
        while (true) {
            int room = Math.min(batchSize, queue.remainingCapacity());
            if (room <= 0) {
                return total;
            }
            long now = System.currentTimeMillis();
            Set<String> turnedDown = new java.util.HashSet<>();
            List<String> passOver = new ArrayList<>(excluded);
            // A claim passing over webhooks reads past all their due rows in the index (a saturated
            // endpoint may have a large backlog): when that found nothing lately, it waits.
            boolean passingOver = !passOver.isEmpty();
            if (passingOver && now < passOverAfter) {
                return total;
            }
            List<DispatchTicket> tickets = db.inRelaxedTransaction(c -> deliveries.claimDue(c, now, room,
                    now + queue.leaseMillis(), queue.leases()::next, passOver, webhookId -> {
                        String url = urls.get(webhookId);
                        if (url == null) {
                            return true; // created or deleted since the pass began: the dispatcher sorts it out
                        }
                        String key = EndpointLimiter.key(url);
                        int left = budget.computeIfAbsent(key, limiter::admissible);
                        if (left <= 0) {
                            turnedDown.add(webhookId);
                            return false;
                        }
                        budget.put(key, left - 1);
                        return true;
                    }));
            if (passingOver) {
                passOverBackoff = tickets.isEmpty() ? Math.min(MAX_PASS_OVER_BACKOFF, Math.max(500, 2 * passOverBackoff)) : 0;
                passOverAfter = now + passOverBackoff;
            }
            queue.offerAll(tickets);
            total += tickets.size();
            if (turnedDown.isEmpty() && tickets.size() < room) {
                return total;
            }
            excluded.addAll(turnedDown);
            // Endpoints that have had their share are passed over from now on, without a read first.
            urls.forEach((id, url) -> {
                if (budget.getOrDefault(EndpointLimiter.key(url), 1) <= 0) {
                    excluded.add(id);
                }
            });
        }
    }

    private Map<String, String> urls;
    private long urlsUntil;
    /** Claims that pass over webhooks and find nothing back off, up to this (ms). */
    private static final long MAX_PASS_OVER_BACKOFF = 5000;
    private long passOverBackoff;
    private long passOverAfter;

    /** Webhook id to URL, read at most once a second: with a saturated endpoint claims come many times a second. */
    private Map<String, String> urls() {
        long now = System.currentTimeMillis();
        if (urls == null || now >= urlsUntil) {
            urls = db.read(webhooks::urls);
            urlsUntil = now + 1000;
        }
        return urls;
    }

    /** On a clean stop: give this instance's leased rows back so they are taken at once on the next start. */
    public int releaseLeases() {
        return db.inTransaction(c -> deliveries.releaseLeases(c, queue.leases().mine()));
    }
}
