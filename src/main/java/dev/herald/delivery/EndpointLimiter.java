package dev.herald.delivery;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Bounds the attempts in flight per receiver (scheme, host, port), so one slow or hanging
 * endpoint cannot take every dispatcher thread and starve the others. A delivery that
 * finds its endpoint full does not wait on a thread: it is put back for a moment.
 */
public final class EndpointLimiter {

    private final int perEndpoint;
    private final ConcurrentHashMap<String, Semaphore> permits = new ConcurrentHashMap<>();

    public EndpointLimiter(int perEndpoint) {
        this.perEndpoint = perEndpoint;
    }

    public static String key(String url) {
        URI u = URI.create(url);
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    public boolean tryAcquire(String key) {
        return permits.computeIfAbsent(key, k -> new Semaphore(perEndpoint)).tryAcquire();
    }

    public void release(String key) {
        Semaphore s = permits.get(key);
        if (s != null) {
            s.release();
        }
    }
}
