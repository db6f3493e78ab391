package dev.herald.lifecycle;

import dev.herald.store.Database;
import dev.herald.subscription.WebhookStates;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when each webhook's attempts have all failed, and whether one of its deliveries was
 * exhausted since then: the clock of herald.webhook.disable-after. Kept in memory, so a flood of
 * results costs no write; stored in {@code webhook.failing_since} once a run of failures has
 * lasted a second (a restart keeps counting; a flapping receiver writes nothing), cleared by
 * the next success.
 */
final class FailingClock {

    /** Stored once a run has lasted this long. */
    private static final long STORE_AFTER = 1_000;

    private static final class Run {
        final long since;
        volatile boolean stored;
        volatile boolean exhausted;

        Run(long since, boolean stored) {
            this.since = since;
            this.stored = stored;
        }
    }

    /** Known not to be failing, nothing stored. */
    private static final Run CLEAR = new Run(Long.MAX_VALUE, false);

    private final Database db;
    private final WebhookStates states;
    private final long disableAfter;
    private final ConcurrentHashMap<String, Run> runs = new ConcurrentHashMap<>();

    FailingClock(Database db, WebhookStates states, long disableAfter) {
        this.db = db;
        this.states = states;
        this.disableAfter = disableAfter;
    }

    /** A success resets the clock (on the first one since the start, whatever was stored too). */
    void success(String webhookId) {
        Run run = runs.get(webhookId);
        if (run == CLEAR) {
            return;
        }
        runs.put(webhookId, CLEAR);
        if (run == null || run.stored) {
            db.read(c -> {
                states.notFailing(c, webhookId);
                return null;
            });
        }
    }

    /**
     * A failed attempt ({@code exhausted}: its delivery failed for good). True when the webhook has
     * now failed for the whole of disable-after with a delivery exhausted in that time.
     */
    boolean failure(String webhookId, boolean exhausted, long now) {
        Run run = runs.get(webhookId);
        if (run == null || run == CLEAR) {
            // After a start, a run stored before it goes on.
            Long stored = run == null ? db.read(c -> states.failingSince(c, webhookId)).orElse(null) : null;
            Run fresh = stored != null ? new Run(stored, true) : new Run(now, false);
            run = runs.compute(webhookId, (k, old) -> old == null || old == CLEAR ? fresh : old);
        }
        if (exhausted) {
            run.exhausted = true;
        }
        if (!run.stored && now - run.since >= STORE_AFTER) {
            run.stored = true;
            long since = run.since;
            db.read(c -> {
                states.failingSince(c, webhookId, since);
                return null;
            });
        }
        return run.exhausted && now - run.since >= disableAfter;
    }

    /** The webhook was disabled (its stored run cleared with it); it starts afresh when enabled again. */
    void forget(String webhookId) {
        runs.remove(webhookId);
    }
}
