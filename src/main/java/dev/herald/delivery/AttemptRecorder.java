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
 * Group commit of attempt results: one writer commits everything that arrived meanwhile in a
 * single transaction, so the database sees one commit per group instead of one per attempt.
 *
 * <p>A result that decides nothing more (a success, a final failure, a retry left to the
 * scheduler) is handed over with {@link #recordLater} and the dispatcher thread goes on to
 * the next delivery; one that the dispatcher acts on (a retry it waits for in memory) is
 * recorded with {@link #record}, which waits for the commit. A result lost before its commit
 * (a crash, the database away) leaves the row as it was claimed: its lease runs out and the
 * attempt is made again, at-least-once as promised. The queue is bounded, so a database
 * slower than the receivers holds the dispatcher back instead of filling the heap.
 */
public final class AttemptRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRecorder.class);
    private static final int MAX_GROUP = 256;
    private static final int MAX_QUEUED = 4096;

    /** {@code record} null: a barrier for {@link #flush}; {@code done} null: nobody waits. */
    private record Pending(AttemptRecord record, CompletableFuture<Boolean> done) {
    }

    private final Database db;
    private final DeliveryRepository deliveries;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);

    public AttemptRecorder(Database db, DeliveryRepository deliveries) {
        this.db = db;
        this.deliveries = deliveries;
        Thread writer = new Thread(this::run, "herald-attempt-writer");
        // Daemon: Herald flushes it on stop (before the leases are handed back and the pool closes).
        writer.setDaemon(true);
        writer.start();
    }

    /** Records one attempt with the row's new state and waits; false when the lease was lost (nothing written). */
    public boolean record(AttemptRecord record) {
        return await(enqueue(record, new CompletableFuture<>()));
    }

    /** Records one attempt without waiting for the commit (waits only while the queue is full). */
    public void recordLater(AttemptRecord record) {
        enqueue(record, null);
    }

    /**
     * Waits until every result handed over so far is committed (or failed), at most {@code millis}:
     * a stop must not hang on the database. Results not written by then are attempted again.
     */
    public boolean flush(long millis) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (!queue.offer(new Pending(null, done))) {
            return false;
        }
        try {
            return done.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private CompletableFuture<Boolean> enqueue(AttemptRecord record, CompletableFuture<Boolean> done) {
        try {
            queue.put(new Pending(record, done));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording an attempt", e);
        }
        return done;
    }

    private static boolean await(CompletableFuture<Boolean> done) {
        try {
            return done.get();
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
                write(group);
                group.clear();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // Never let the writer die: dispatcher threads would block on a full queue for good.
                LOG.error("Attempt writer failed", e);
                RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                group.forEach(p -> complete(p, null, failure));
                group.clear();
            }
        }
    }

    private void write(List<Pending> group) {
        List<AttemptRecord> records = new ArrayList<>(group.size());
        for (Pending p : group) {
            if (p.record() != null) {
                records.add(p.record());
            }
        }
        boolean[] recorded;
        try {
            recorded = records.isEmpty() ? new boolean[0]
                    : db.inRelaxedTransaction(c -> deliveries.recordAttempts(c, records));
        } catch (RuntimeException e) {
            if (group.stream().anyMatch(p -> p.done() == null)) {
                LOG.warn("Could not record {} attempts (their deliveries are attempted again when the lease ends): {}",
                        records.size(), e.getMessage());
            }
            group.forEach(p -> complete(p, null, e));
            return;
        }
        int i = 0;
        for (Pending p : group) {
            if (p.record() == null) {
                complete(p, true, null);
                continue;
            }
            boolean ok = recorded[i++];
            if (!ok && p.done() == null) {
                LOG.warn("Delivery {} was claimed by another owner during attempt {}; its result is not recorded here",
                        p.record().attempt().deliveryId(), p.record().attempt().attempt());
            }
            complete(p, ok, null);
        }
    }

    private static void complete(Pending p, Boolean result, RuntimeException failure) {
        if (p.done() == null) {
            return;
        }
        if (failure != null) {
            p.done().completeExceptionally(failure);
        } else {
            p.done().complete(result);
        }
    }
}
