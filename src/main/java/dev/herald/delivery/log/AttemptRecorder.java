package dev.herald.delivery.log;

import dev.herald.store.Database;
import dev.herald.store.SqlFailures;

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
 * <p>The deliver route hands each result over with {@link #recordLater} and its thread goes on
 * to the next delivery: nothing is decided on a result before it is committed (a retry is
 * claimed from the database). {@link #record} waits for the commit, for a caller that must
 * know whether the lease still held. A result lost before its commit
 * (a crash, the database away) leaves the row as it was claimed: its lease runs out and the
 * attempt is made again, at-least-once as promised. The queue is bounded, so a database
 * slower than the receivers holds the deliver route back instead of filling the heap.
 *
 * <p>A group the database refuses for one result's data is written again one result per
 * transaction, so one bad row never holds back the others nor has them sent again; a result
 * refused alone is written degraded ({@link AttemptWrites}). Only a database that is away
 * leaves results unwritten.
 */
public final class AttemptRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRecorder.class);
    private static final int MAX_GROUP = 256;
    private static final int MAX_QUEUED = 4096;
    private static final long AWAY_PAUSE_MILLIS = 1_000;

    /** {@code record} null: a barrier for {@link #flush}; {@code done} null: nobody waits. */
    private record Pending(AttemptRecord record, CompletableFuture<Boolean> done) {
    }

    private final AttemptWrites writes;
    private final OrderLanes lanes;
    private volatile Runnable onOrderAdvanced = () -> { };
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);

    public AttemptRecorder(Database db, AttemptLog log) {
        this(db, log, true);
    }

    /** {@code start} false: results queue up until {@link #start} (a test makes them one group). */
    AttemptRecorder(Database db, AttemptLog log, boolean start) {
        this.writes = new AttemptWrites(db, log);
        this.lanes = log.lanes();
        if (start) {
            start();
        }
    }

    /** Called after a commit that made the next delivery of an ordered line due (the scheduler claims it at once). */
    public void onOrderAdvanced(Runnable action) {
        this.onOrderAdvanced = action;
    }

    void start() {
        Thread writer = new Thread(this::run, "herald-attempt-writer");
        // Daemon: Herald flushes it on stop (before the leases are handed back and the pool closes).
        writer.setDaemon(true);
        writer.start();
    }

    /** Records one attempt with the row's new state and waits; false when the lease was lost (nothing written). */
    boolean record(AttemptRecord record) {
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
                boolean written = write(group);
                group.clear();
                if (lanes.takeAdvanced()) {
                    onOrderAdvanced.run();
                }
                if (!written) {
                    // The database is away: a pause instead of failing the next groups as fast as they
                    // come (a broken pool can fail at once). The full queue holds the delivery threads back
                    // meanwhile, which would otherwise send attempts whose results cannot be kept.
                    Thread.sleep(AWAY_PAUSE_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // Never let the writer die: delivery threads would block on a full queue for good.
                LOG.error("Attempt writer failed", e);
                RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                group.forEach(p -> complete(p, null, failure));
                group.clear();
            }
        }
    }

    /** Writes a group; false when the database was away and some of its results are not written. */
    private boolean write(List<Pending> group) {
        List<Pending> results = new ArrayList<>(group.size());
        for (Pending p : group) {
            if (p.record() != null) {
                results.add(p);
            }
        }
        boolean written = results.isEmpty() || writeTogether(results);
        // Barriers last: everything handed over before them is answered now; false if not all written.
        group.stream().filter(p -> p.record() == null).forEach(p -> complete(p, written, null));
        return written;
    }

    private boolean writeTogether(List<Pending> results) {
        boolean[] recorded;
        try {
            recorded = writes.together(results.stream().map(Pending::record).toList());
        } catch (AttemptWrites.DatabaseAway away) {
            failAll(results, away);
            return false;
        } catch (RuntimeException e) {
            // One result the database refuses (it fails the whole group): the others must not
            // wait for their leases to run out and be sent again.
            LOG.warn("A group commit of {} attempt results failed ({}); recording them one by one",
                    results.size(), SqlFailures.reason(e));
            return writeOneByOne(results);
        }
        for (int i = 0; i < recorded.length; i++) {
            answer(results.get(i), recorded[i]);
        }
        return true;
    }

    private boolean writeOneByOne(List<Pending> results) {
        for (int i = 0; i < results.size(); i++) {
            try {
                answer(results.get(i), writes.alone(results.get(i).record()));
            } catch (AttemptWrites.DatabaseAway away) {
                failAll(results.subList(i, results.size()), away);
                return false;
            }
        }
        return true;
    }

    private static void answer(Pending p, boolean recorded) {
        if (!recorded && p.done() == null) {
            LOG.warn("Delivery {} was claimed by another owner during attempt {}; its result is not recorded here",
                    p.record().attempt().deliveryId(), p.record().attempt().attempt());
        }
        complete(p, recorded, null);
    }

    private static void failAll(List<Pending> results, AttemptWrites.DatabaseAway away) {
        if (results.stream().anyMatch(p -> p.done() == null)) {
            LOG.warn("Could not record {} attempts (their deliveries are attempted again when the lease ends): {}",
                    results.size(), away.reason);
        }
        results.forEach(p -> complete(p, null, away));
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
