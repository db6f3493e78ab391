package dev.herald.store;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

/**
 * Readiness check "database": a connection from the pool that answers {@code isValid(1)}.
 * Bound in Camel's registry, where Camel's health registry finds it; readiness only, so
 * /observe/health/live stays UP while the database is away (a restart would not bring it back).
 * A probe waits at most {@code timeoutMillis} (the pool may wait longer for a connection) and
 * one result serves every probe for {@code cacheMillis}, so probes never tie up the pool.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final DataSource dataSource;
    private final ExecutorService executor;
    private final long timeoutMillis;
    private final long cacheMillis;

    private record Outcome(boolean up, String message, Throwable error, long at) {
    }

    private Outcome last;
    /** The last validation that finished (not a probe that gave up waiting for one). */
    private Outcome finished;
    /** A validation still running: the next probe waits on it rather than starting another. */
    private Future<Outcome> running;

    public DatabaseHealthCheck(DataSource dataSource, ExecutorService executor, long timeoutMillis, long cacheMillis) {
        super("herald", "database");
        this.dataSource = dataSource;
        this.executor = executor;
        this.timeoutMillis = timeoutMillis;
        this.cacheMillis = cacheMillis;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Outcome o = probe();
        (o.up ? builder.up() : builder.down()).message(o.message);
        if (o.error != null) {
            builder.error(o.error);
        }
    }

    private synchronized Outcome probe() {
        long now = System.nanoTime();
        if (last != null && now - last.at < TimeUnit.MILLISECONDS.toNanos(cacheMillis)) {
            return last;
        }
        if (running == null) {
            try {
                running = executor.submit(this::validate);
            } catch (RejectedExecutionException e) {
                return new Outcome(false, "Herald is stopping", null, now); // the executor stopped with Camel
            }
        }
        try {
            last = running.get(timeoutMillis, TimeUnit.MILLISECONDS);
            finished = last;
            running = null;
        } catch (TimeoutException e) {
            // The pool still waits; say what the last finished validation found, if it failed.
            String before = finished != null && !finished.up ? " (last check: " + finished.message + ")" : "";
            last = new Outcome(false, "No database connection within " + timeoutMillis + " ms" + before, null,
                    System.nanoTime());
        } catch (ExecutionException e) {
            running = null;
            last = new Outcome(false, "Database check failed: " + e.getCause(), e.getCause(), System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "Interrupted", null, now);
        }
        return last;
    }

    private Outcome validate() {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(1)) {
                return new Outcome(true, "Database answers", null, System.nanoTime());
            }
            return new Outcome(false, "Database connection not valid", null, System.nanoTime());
        } catch (Exception e) {
            // The pool's own message says only that it timed out: its cause (the driver's refused login,
            // connection refused...) says why. Drivers do not put the password in their messages.
            String why = e.getCause() != null && e.getCause() != e ? e.getMessage() + ": " + e.getCause().getMessage()
                    : e.getMessage();
            return new Outcome(false, "Database unreachable: " + why, e, System.nanoTime());
        }
    }
}
