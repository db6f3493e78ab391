package dev.herald.egress;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One deadline for a whole attempt, connect to last body byte. HttpClient's timeouts bound
 * each read, so a receiver that trickles its headers or body a byte a second, or never ends
 * the body, would hold a delivery thread for as long as it likes; here a watchdog closes
 * the attempt's connection when its deadline passes, and the blocked read fails at once.
 *
 * <p>An attempt runs on one delivery thread from the call to the end of reading the body,
 * so attempts in flight are kept per thread: the HTTP client registers one when the request
 * starts, and the deliver route ends it ({@link #end}) when it has read what it keeps.
 */
public final class AttemptDeadline implements ExecChainHandler, AutoCloseable {

    /** How often the watchdog looks: a deadline is kept to within this. */
    private static final long TICK_MILLIS = 50;

    private record InFlight(ExecRuntime runtime, long deadline) {
    }

    private final long timeoutMillis;
    private final ConcurrentHashMap<Thread, InFlight> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;

    public AttemptDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-attempt-deadline");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::cutOverdue, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Thread caller = Thread.currentThread();
        inFlight.put(caller, new InFlight(scope.execRuntime, System.currentTimeMillis() + timeoutMillis));
        try {
            return chain.proceed(request, scope);
        } catch (IOException | HttpException | RuntimeException e) {
            inFlight.remove(caller);
            throw e;
        }
    }

    /** The calling thread's attempt has read what it keeps: its connection is no longer watched. */
    public void end() {
        inFlight.remove(Thread.currentThread());
    }

    /**
     * Ends the calling thread's attempt by closing its connection, for a body read only up to the
     * log's cap: closing the stream instead would read the rest of it, however long, to reuse the connection.
     */
    public void abandon() {
        InFlight f = inFlight.remove(Thread.currentThread());
        if (f != null) {
            f.runtime().discardEndpoint();
        }
    }

    private void cutOverdue() {
        long now = System.currentTimeMillis();
        inFlight.forEach((thread, f) -> {
            if (f.deadline() <= now && inFlight.remove(thread, f)) {
                // Closes the socket: a read or write blocked on it fails now; a connection already
                // back in the pool was released by its runtime, which then holds nothing to close.
                f.runtime().discardEndpoint();
            }
        });
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
