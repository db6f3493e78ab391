package dev.herald.egress;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.Timeout;

/**
 * The "http" component deliveries go out through: every connection's addresses come from the
 * {@link GuardedDnsResolver}, every attempt runs under an {@link AttemptDeadline}, and a
 * response's header block is bounded before Herald reads it.
 */
public final class ReceiverHttp {

    /** Header lines a response may carry, and the length of each: beyond them the attempt fails. */
    public static final int MAX_RESPONSE_HEADERS = 100;
    public static final int MAX_HEADER_LINE = 8192;

    private ReceiverHttp() {
    }

    public static HttpComponent component(AddressPolicy policy, AttemptDeadline deadline, int concurrency) {
        Timeout timeout = Timeout.ofMilliseconds(deadline.timeoutMillis());
        HttpComponent http = new HttpComponent();
        http.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(policy))
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom()
                                .setMaxHeaderCount(MAX_RESPONSE_HEADERS)
                                .setMaxLineLength(MAX_HEADER_LINE)
                                .build())
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(timeout).build())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setMaxConnTotal(Math.max(200, concurrency * 4))
                .setMaxConnPerRoute(concurrency)
                .build());
        http.setConnectTimeout(deadline.timeoutMillis());
        http.setConnectionRequestTimeout(deadline.timeoutMillis());
        http.setResponseTimeout(deadline.timeoutMillis());
        http.setSoTimeout(deadline.timeoutMillis());
        // HttpClient 5 would silently resend on 429/503; every attempt must be ours to count and log.
        // Cookies, auth caches, compression and redirects are no part of a webhook call; each is a
        // step HttpClient would run on every request (measured: about 10% of a delivery's HTTP time).
        // No proxy from system properties either: the guard judges the addresses Herald connects to.
        http.setHttpClientConfigurer(builder -> builder.disableAutomaticRetries().disableCookieManagement()
                .disableAuthCaching().disableContentCompression().disableRedirectHandling().disableConnectionState()
                .addExecInterceptorFirst("herald-attempt-deadline", deadline));
        return http;
    }
}
