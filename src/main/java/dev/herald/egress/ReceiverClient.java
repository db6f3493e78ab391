package dev.herald.egress;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

import java.net.SocketTimeoutException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

/**
 * The HTTP client deliveries go out through, non-blocking (HttpClient 5 async, HTTP/1.1 only): a
 * request waiting on its receiver holds no thread, only a connection. Every connection's addresses
 * come from the {@link GuardedDnsResolver} (with herald.delivery.proxy, every receiver's addresses
 * are judged by it before the proxy is asked: {@link EgressProxy}); every attempt has one deadline,
 * connect to last body byte ({@link #send}); a response's header block is bounded before Herald
 * reads it, and its body by the {@link CappedResponse} that reads it.
 */
public final class ReceiverClient implements AutoCloseable {

    /** Header lines a response may carry, and the length of each: beyond them the attempt fails. */
    public static final int MAX_RESPONSE_HEADERS = 100;
    public static final int MAX_HEADER_LINE = 8192;

    private final CloseableHttpAsyncClient client;
    private final ScheduledThreadPoolExecutor deadlines;
    private final long timeoutMillis;
    /** herald.delivery.proxy; null: every connection is direct. */
    private final EgressProxy proxy;

    /**
     * {@code maxConnections}: connections open at once, in flight or idle; {@code perReceiver}: per
     * receiver (scheme, host, port), above the per-endpoint bound so that a connection still closing
     * never makes an attempt wait for the pool. {@code proxy}: herald.delivery.proxy, or null.
     */
    public ReceiverClient(AddressPolicy policy, long timeoutMillis, int maxConnections, int perReceiver) {
        this(policy, timeoutMillis, maxConnections, perReceiver, null, null);
    }

    public ReceiverClient(AddressPolicy policy, long timeoutMillis, int maxConnections, int perReceiver, EgressProxy proxy) {
        this(policy, timeoutMillis, maxConnections, perReceiver, proxy, null);
    }

    public ReceiverClient(AddressPolicy policy, long timeoutMillis, int maxConnections, int perReceiver,
                          SSLContext identity) {
        this(policy, timeoutMillis, maxConnections, perReceiver, null, identity);
    }

    /**
     * {@code identity}: null for the shared client (the JVM's TLS defaults); else one webhook's client
     * certificate context ({@link TlsIdentities#sslContext}), on one I/O thread, host names checked by
     * HttpClient and the JDK's endpoint identification (policy BOTH): every other bound, and the proxy,
     * are the shared client's.
     */
    public ReceiverClient(AddressPolicy policy, long timeoutMillis, int maxConnections, int perReceiver,
                          EgressProxy proxy, SSLContext identity) {
        this.timeoutMillis = timeoutMillis;
        this.proxy = proxy;
        Timeout timeout = Timeout.ofMilliseconds(timeoutMillis);
        deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "herald-attempt-deadline");
            t.setDaemon(true);
            return t;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        HttpAsyncClientBuilder builder = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedDnsResolver(policy))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout)
                                .setSocketTimeout(timeout)
                                .build())
                        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                        .setTlsStrategy(identity == null ? null : ClientTlsStrategyBuilder.create().setSslContext(identity)
                                .setHostVerificationPolicy(HostnameVerificationPolicy.BOTH).buildAsync())
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(perReceiver)
                        .build())
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setHttp1Config(Http1Config.custom()
                        .setMaxHeaderCount(MAX_RESPONSE_HEADERS)
                        .setMaxLineLength(MAX_HEADER_LINE)
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setSoTimeout(timeout)
                        .setIoThreadCount(identity == null ? IOReactorConfig.DEFAULT.getIoThreadCount() : 1).build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout)
                        .build())
                // HttpClient would silently resend on 429/503; every attempt must be ours to count and
                // log. Cookies, auth caches and redirects are no part of a webhook call (the async client
                // asks for no compression). No proxy from system properties either (useSystemProperties
                // is not called): the guard judges the addresses Herald connects to, and an operator's
                // herald.delivery.proxy is configured below (EgressProxy).
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableRedirectHandling()
                .disableConnectionState();
        if (proxy != null) {
            proxy.configure(builder, policy);
        }
        client = builder.build();
        client.start();
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Sends the request; {@code callback} hears how it ended, on one of the client's I/O threads
     * (never block there). HttpClient's timeouts bound each wait, so a receiver that trickles its
     * answer a byte a second would last as long as it likes: at the deadline the exchange is
     * cancelled instead (its connection closed) and {@code callback} hears {@code cancelled()}.
     */
    public <T> void send(AsyncRequestProducer request, AsyncResponseConsumer<T> consumer, FutureCallback<T> callback) {
        Future<T> exchange;
        Deadline<T> deadline;
        if (proxy == null) {
            deadline = new Deadline<>(callback);
            exchange = client.execute(request, consumer, null, null, deadline);
        } else {
            // Through the proxy: its failures are told from the receiver's (a ProxyFailure).
            ProxyTunnel.Watch<T> watch = new ProxyTunnel.Watch<>(consumer, callback);
            deadline = new Deadline<>(watch.ended);
            exchange = client.execute(request, watch, null, watch.context, deadline);
        }
        deadline.cut = deadlines.schedule(() -> exchange.cancel(true), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The deadline's cut is called off as soon as the exchange ends some other way. */
    private static final class Deadline<T> implements FutureCallback<T> {
        private final FutureCallback<T> callback;
        volatile ScheduledFuture<?> cut;

        Deadline(FutureCallback<T> callback) {
            this.callback = callback;
        }

        private void ended() {
            ScheduledFuture<?> c = cut;
            if (c != null) {
                c.cancel(false);
            }
        }

        @Override
        public void completed(T result) {
            ended();
            callback.completed(result);
        }

        @Override
        public void failed(Exception e) {
            ended();
            callback.failed(e);
        }

        @Override
        public void cancelled() {
            callback.cancelled();
        }
    }

    /** What an attempt cut at its deadline failed with. */
    public static final class DeadlinePassed extends SocketTimeoutException {
        public DeadlinePassed(long timeoutMillis) {
            super("no complete response within " + timeoutMillis + " ms");
        }
    }

    @Override
    public void close() {
        // Called once the routes have stopped, their attempts ended: nothing is left to finish gracefully.
        client.close(CloseMode.IMMEDIATE);
        deadlines.shutdownNow();
    }
}
