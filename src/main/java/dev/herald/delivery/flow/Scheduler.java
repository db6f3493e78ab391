package dev.herald.delivery.flow;

import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.store.Database;
import dev.herald.subscription.RateLimit;
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
 * endpoint than it can take ({@link EndpointLimiter#admissible}): the rest of its rows stay in
 * the database, unclaimed. The rows of slow endpoints (more parked than they finish in a
 * second) are passed over, so the claim reaches the others' behind them.
 * Runs every poll interval, and at once when an endpoint has room again.
 */
public final class Scheduler {

    private final Database db;
    private final DeliveryClaims deliveries;
    private final WebhookRepository webhooks;
    private final DispatchQueue queue;
    private final int batchSize;
    private Map<String, String> urls;
    /** Webhook id to rate limit, for those that have one; read with {@link #urls}. */
    private Map<String, Integer> limits = Map.of();
    private long urlsUntil;
    /** Claims that pass over webhooks and find nothing back off, up to ten poll intervals (5 s). */
    private final long maxPassOverBackoff;
    private long passOverBackoff;
    private long passOverAfter;

    public Scheduler(Database db, DeliveryClaims deliveries, WebhookRepository webhooks, DispatchQueue queue,
                     int batchSize, long pollMillis) {
        this.maxPassOverBackoff = 10 * pollMillis;
        this.db = db;
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.queue = queue;
        this.batchSize = batchSize;
    }

    /** One pass on the timer; returns how many rows were claimed. */
    public int claim() {
        return claim(false);
    }

    /**
     * One pass because an endpoint has room again: it has rows due, most likely, so the pass
     * goes ahead even if passing over slow endpoints found nothing lately.
     */
    public int claimNow() {
        return claim(true);
    }

    /** One pass at a time (timer and wake-ups). */
    private synchronized int claim(boolean woken) {
        queue.requeueParked();
        EndpointLimiter limiter = queue.limiter();
        limiter.claiming();
        Set<String> slow = limiter.slowKeys();
        EndpointBreaker breaker = queue.breaker();
        long started = System.currentTimeMillis();
        Set<String> held = new java.util.HashSet<>();
        Set<String> probing = new java.util.HashSet<>();
        for (String key : breaker.notClosed()) {
            if (breaker.holding(key, started)) {
                held.add(key);
            } else if (breaker.probeDue(key, started)) {
                probing.add(key);
            }
        }
        Map<String, String> urls = urls();
        WebhookPace pace = queue.pace();
        WebhookPace.Budget paced = pace.budget();
        // The webhooks of slow endpoints, of those whose breaker is open, and rate-limited webhooks
        // with enough waiting in memory: their due rows (a backlog, maybe large) are passed over.
        List<String> passOver = new ArrayList<>();
        urls.forEach((id, url) -> {
            String key = EndpointLimiter.key(url);
            Integer limit = limits.get(id);
            if (slow.contains(key) || held.contains(key)
                    || (limit != null && pace.admissible(id, new RateLimit(limit)) <= 0)) {
                passOver.add(id);
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
            // A claim passing over webhooks reads past all their due rows in the index (a saturated
            // endpoint may have a large backlog): when that found nothing lately, it waits.
            boolean passingOver = !passOver.isEmpty();
            if (passingOver && now < passOverAfter && !woken) {
                return total;
            }
            List<DispatchTicket> tickets = db.inRelaxedTransaction(c -> deliveries.claimDue(c, now, room,
                    queue.leaseUntil(now), queue::nextToken, passOver, webhookId -> {
                        String url = urls.get(webhookId);
                        if (url == null) {
                            return true; // created or deleted since the pass began: LoadDelivery sorts it out
                        }
                        String key = EndpointLimiter.key(url);
                        // One delivery probes a receiver whose breaker may close; the rest wait for its result.
                        int left = budget.computeIfAbsent(key, k -> probing.contains(k) ? 1 : limiter.admissible(k));
                        if (left <= 0) {
                            turnedDown.add(webhookId);
                            limiter.backlog(key);
                            return false;
                        }
                        Integer limit = limits.get(webhookId);
                        if (limit != null && !paced.take(webhookId, new RateLimit(limit))) {
                            turnedDown.add(webhookId);
                            return false;
                        }
                        budget.put(key, left - 1);
                        return true;
                    }).stream().map(DispatchTicket::claimed).toList());
            if (passingOver) {
                passOverBackoff = tickets.isEmpty() ? Math.min(maxPassOverBackoff, Math.max(100, 2 * passOverBackoff)) : 0;
                passOverAfter = now + passOverBackoff;
            }
            queue.offerAll(tickets);
            total += tickets.size();
            // An endpoint that had its share ends the pass: its rows are next in line, and it asks
            // for the next claim itself when it has room (EndpointLimiter.onRoom).
            if (!turnedDown.isEmpty() || tickets.size() < room) {
                if (turnedDown.isEmpty()) {
                    // Every due row was seen (but those passed over): nothing left behind.
                    limiter.caughtUp(key -> !slow.contains(key) && !held.contains(key));
                }
                return total;
            }
        }
    }

    /** Webhook id to URL, read at most once a second: with a saturated endpoint claims come many times a second. */
    private Map<String, String> urls() {
        long now = System.currentTimeMillis();
        if (urls == null || now >= urlsUntil) {
            urls = db.read(webhooks::urls);
            limits = queue.pace().limits();
            urlsUntil = now + 1000;
        }
        return urls;
    }

    /** On a clean stop: give this instance's leased rows back so they are taken at once on the next start. */
    public int releaseLeases() {
        return db.inTransaction(c -> deliveries.releaseLeases(c, queue.ownLeases()));
    }
}
