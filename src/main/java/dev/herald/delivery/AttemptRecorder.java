package dev.herald.delivery;

import dev.herald.delivery.DeliveryRepository.AttemptRecord;
import dev.herald.store.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit of attempt results: the dispatcher threads hand their results here and wait;
 * one writer commits everything that arrived meanwhile in a single transaction. Each
 * result is still committed before its dispatcher thread goes on, so nothing is decided on
 * an unrecorded attempt; the database sees one commit per group instead of one per attempt.
 */
public final class AttemptRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRecorder.class);
    private static final int MAX_GROUP = 256;

    private record Pending(AttemptRecord record, CompletableFuture<Boolean> done) {
    }

    private final Database db;
    private final DeliveryRepository deliveries;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

    public AttemptRecorder(Database db, DeliveryRepository deliveries) {
        this.db = db;
        this.deliveries = deliveries;
        Thread writer = new Thread(this::run, "herald-attempt-writer");
        // Daemon: the routes stop (and stop recording) before the pool closes.
        writer.setDaemon(true);
        writer.start();
    }

    /** Records one attempt with the row's new state; false when the lease was lost (nothing written). */
    public boolean record(AttemptRecord record) {
        Pending p = new Pending(record, new CompletableFuture<>());
        queue.add(p);
        try {
            return p.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording an attempt", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void run() {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        while (true) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                List<AttemptRecord> records = new ArrayList<>(group.size());
                group.forEach(p -> records.add(p.record()));
                try {
                    boolean[] recorded = db.inRelaxedTransaction(c -> deliveries.recordAttempts(c, records));
                    for (int i = 0; i < group.size(); i++) {
                        group.get(i).done().complete(recorded[i]);
                    }
                } catch (RuntimeException e) {
                    group.forEach(p -> p.done().completeExceptionally(e));
                }
                group.clear();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Attempt writer failed", e);
                group.forEach(p -> p.done().completeExceptionally(e));
                group.clear();
            }
        }
    }
}
