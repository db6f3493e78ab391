package dev.herald.egress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

/**
 * One {@link ReceiverClient} per client certificate (mutual TLS), so that two webhooks to one
 * receiver with different certificates never share a connection: a pooled TLS connection keeps
 * the certificate it was opened with. Keyed by the whole {@link ClientTls} (certificate, key, CA):
 * webhooks with the same identity share one client. A client is opened on first use, closed after
 * {@code idleMillis} without one, and at most {@code max} are open at once: past it the least
 * recently used idle one is closed, and when none is idle the attempt fails (and is retried).
 * Nothing of this exists until the first webhook with a certificate is delivered.
 */
public final class IdentityClients implements AutoCloseable {

    private final Function<SSLContext, ReceiverClient> open;
    private final int max;
    private final long idleMillis;
    private final long attemptMillis;
    private final Map<ClientTls, Open> clients = new ConcurrentHashMap<>();
    private ScheduledThreadPoolExecutor sweeper;
    private boolean closed;

    /**
     * {@code open}: a client for a TLS context, built like the shared one; {@code attemptMillis}: the
     * longest an attempt lasts (ReceiverClient's deadline): a client is closed only once unused for
     * longer, so no attempt is still running on it.
     */
    public IdentityClients(Function<SSLContext, ReceiverClient> open, int max, long idleMillis, long attemptMillis) {
        if (max < 1) {
            throw new IllegalArgumentException("herald.delivery.tls.max-clients must be at least 1, got " + max);
        }
        this.open = open;
        this.max = max;
        this.attemptMillis = attemptMillis + 1_000;
        this.idleMillis = Math.max(idleMillis, this.attemptMillis);
    }

    /** The client that presents {@code tls}'s certificate. */
    public ReceiverClient client(ClientTls tls) {
        long now = System.nanoTime();
        Open o = clients.get(tls);
        if (o != null && o.use(now)) {
            return o.client;
        }
        return opened(tls, now);
    }

    private synchronized ReceiverClient opened(ClientTls tls, long now) {
        if (closed) {
            throw new IllegalStateException("Herald is stopping");
        }
        Open o = clients.get(tls);
        if (o != null && o.use(now)) {
            return o.client;
        }
        if (clients.size() >= max) {
            closeLeastRecentlyUsed(now);
        }
        if (clients.size() >= max) {
            throw new IllegalStateException("too many client certificates in use at once (herald.delivery.tls.max-clients="
                    + max + "); the attempt is retried");
        }
        o = new Open(open.apply(TlsIdentities.sslContext(tls)), now);
        clients.put(tls, o);
        if (sweeper == null) {
            sweeper = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "herald-tls-clients");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1_000, idleMillis / 2);
            sweeper.scheduleWithFixedDelay(() -> sweep(System.nanoTime()), every, every, TimeUnit.MILLISECONDS);
        }
        return o.client;
    }

    /** Every client unused for the idle time. */
    private synchronized void sweep(long now) {
        long cutoff = now - TimeUnit.MILLISECONDS.toNanos(idleMillis);
        for (ClientTls tls : clients.keySet()) {
            closeIfIdle(tls, cutoff);
        }
    }

    /** At the bound: the least recently used client, if no attempt can still be running on it. */
    private void closeLeastRecentlyUsed(long now) {
        ClientTls oldest = null;
        long oldestUse = 0;
        for (Map.Entry<ClientTls, Open> e : clients.entrySet()) {
            long used = e.getValue().lastUse();
            if (oldest == null || used - oldestUse < 0) {
                oldest = e.getKey();
                oldestUse = used;
            }
        }
        if (oldest != null) {
            closeIfIdle(oldest, now - TimeUnit.MILLISECONDS.toNanos(attemptMillis));
        }
    }

    private void closeIfIdle(ClientTls tls, long cutoff) {
        Open o = clients.get(tls);
        if (o != null && o.retireIfUnusedSince(cutoff)) {
            clients.remove(tls, o);
            o.client.close();
        }
    }

    /** Clients open now (for tests and metrics). */
    public int open() {
        return clients.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        clients.values().forEach(o -> o.client.close());
        clients.clear();
    }

    /** A client and when it was last handed out; once retired it is never handed out again. */
    private static final class Open {
        final ReceiverClient client;
        private long lastUse;
        private boolean retired;

        Open(ReceiverClient client, long now) {
            this.client = client;
            this.lastUse = now;
        }

        synchronized boolean use(long now) {
            if (retired) {
                return false;
            }
            lastUse = now;
            return true;
        }

        synchronized long lastUse() {
            return lastUse;
        }

        synchronized boolean retireIfUnusedSince(long cutoff) {
            if (lastUse - cutoff > 0) {
                return false;
            }
            retired = true;
            return true;
        }
    }
}
