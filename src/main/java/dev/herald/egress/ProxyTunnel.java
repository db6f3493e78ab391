package dev.herald.egress;

import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

import javax.net.ssl.SSLException;

/**
 * Tells the proxy's failures from the receiver's. The route planner marks an exchange it sends
 * through the proxy; {@link #MARKER}, a step of the client's chain after CONNECT (and after the TLS
 * handshake with an https receiver), marks it once the request goes to the receiver. Until the
 * proxy answered 200 to CONNECT every failure (no connection to the proxy, another answer to
 * CONNECT, a broken connection, the deadline) is the proxy's; after it, a TLS failure or the
 * deadline is the receiver's, and a connection that breaks before the receiver's status line is
 * the proxy's (the tunnel failed mid-way). HttpClient hands a refused CONNECT's answer on as if it
 * were the response: here it becomes a {@link ProxyFailure} before anything reads it.
 */
final class ProxyTunnel {

    static final String MARKER_NAME = "herald-tunnel-up";
    /** Set by the route planner: this exchange goes through the proxy. */
    static final String PROXIED = "herald.proxied";
    /** Set by {@link #MARKER}: the tunnel stands, the request goes to the receiver. */
    private static final String UP = "herald.tunnel-up";

    static final AsyncExecChainHandler MARKER = (request, entityProducer, scope, chain, callback) -> {
        scope.clientContext.setAttribute(UP, Boolean.TRUE);
        chain.proceed(request, entityProducer, scope, callback);
    };

    private ProxyTunnel() {
    }

    /**
     * One exchange watched: its context (pass it to execute), its consumer and its callback
     * ({@code ended}), which turn the proxy's failures into {@link ProxyFailure}s and pass
     * everything else on.
     */
    static final class Watch<T> implements AsyncResponseConsumer<T> {
        final HttpClientContext context = HttpClientContext.create();
        /** The callback to hand the client: it passes on how the exchange ended, the proxy's failures as such. */
        final FutureCallback<T> ended = new Ended();
        private final AsyncResponseConsumer<T> consumer;
        private final FutureCallback<T> callback;
        private volatile boolean answered;

        Watch(AsyncResponseConsumer<T> consumer, FutureCallback<T> callback) {
            this.consumer = consumer;
            this.callback = callback;
        }

        private boolean proxied() {
            return context.getAttribute(PROXIED) != null;
        }

        /** The request went to the receiver ({@link #MARKER}). */
        private boolean requestSent() {
            return context.getAttribute(UP) != null;
        }

        /**
         * The proxy answered 200 to CONNECT (HttpClient keeps the CONNECT's answer in the context
         * while it shakes hands with an https receiver), or the request went on to the receiver.
         */
        private boolean tunnelUp() {
            if (requestSent()) {
                return true;
            }
            HttpResponse connect = context.getResponse();
            return connect != null && connect.getCode() == 200;
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext httpContext,
                                    FutureCallback<T> resultCallback) throws HttpException, IOException {
            if (proxied() && !requestSent()) {
                throw new ProxyFailure("the proxy answered " + response.getCode()
                        + (response.getReasonPhrase() == null ? "" : " " + response.getReasonPhrase())
                        + " to CONNECT");
            }
            answered = true;
            consumer.consumeResponse(response, entity, httpContext, resultCallback);
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext httpContext) throws HttpException, IOException {
            consumer.informationResponse(response, httpContext);
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            consumer.updateCapacity(capacityChannel);
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            consumer.consume(src);
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
            consumer.streamEnd(trailers);
        }

        @Override
        public void failed(Exception cause) {
            consumer.failed(cause);
        }

        @Override
        public void releaseResources() {
            consumer.releaseResources();
        }

        private final class Ended implements FutureCallback<T> {
            @Override
            public void completed(T result) {
                callback.completed(result);
            }

            @Override
            public void failed(Exception e) {
                callback.failed(classify(e));
            }

            @Override
            public void cancelled() {
                if (proxied() && !tunnelUp()) {
                    callback.failed(new ProxyFailure("no tunnel through the proxy within the attempt's deadline"));
                } else {
                    callback.cancelled();
                }
            }
        }

        private Exception classify(Exception e) {
            if (!proxied() || answered) {
                return e;
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ProxyFailure p) {
                    return p;
                }
                if (t instanceof SSLException) {
                    // TLS runs end to end with the receiver, inside the tunnel: its certificate, its fault.
                    return e;
                }
            }
            if (!tunnelUp()) {
                return new ProxyFailure("no tunnel through the proxy: " + cause(e), e);
            }
            if (isTimeout(e)) {
                return e; // a receiver that does not answer in time is the receiver's failure
            }
            return new ProxyFailure("the tunnel through the proxy broke before the receiver answered: " + cause(e), e);
        }

        private static boolean isTimeout(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The innermost cause in words, without HttpClient's host text (HttpHostConnectException
         * names the proxy's address): "ConnectException: Connection refused".
         */
        private static String cause(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof java.net.ConnectException) {
                return "connection to the proxy refused";
            }
            if (isTimeout(root)) {
                return "timed out"; // HttpClient's connect timeout names the address it tried
            }
            String m = root.getMessage();
            return root.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
        }
    }
}
