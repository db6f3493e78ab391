package dev.herald.delivery.step;

import dev.herald.egress.CappedResponse;
import dev.herald.egress.ClientTls;
import dev.herald.egress.IdentityClients;
import dev.herald.egress.ReceiverClient;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Step {@code SendRequest}: the POST to the receiver, without waiting for it. The request is the
 * message SetRequest left (the URI, the headers, the body); the call goes out on the non-blocking
 * {@link ReceiverClient}, and the thread that ran the route so far returns to the dispatch queue.
 * The answer comes back as the HTTP component would leave it (status in CamelHttpResponseCode, the
 * receiver's headers, the body up to herald.delivery.max-response-bytes) and the rest of the route
 * runs on one of this step's {@code workers}, never on the client's I/O threads: the steps after
 * this one write to the database. A failure on the wire is the property
 * {@link ReadResponse#WIRE_FAILURE}, a body that broke off after the head {@link ReadResponse#BODY_FAILURE}.
 *
 * <p>A receiver that answers within {@code inlineWaitNanos} (herald.delivery.inline-wait) is waited
 * for: the thread that sent goes on with the route itself, as a blocking client would, which on a
 * fast network saves the hand-over to a worker and its wake-up (measured in bench/results). Past
 * that wait the attempt detaches and the thread returns to the queue; a receiver that hangs costs
 * a dispatcher thread that long, once per attempt, and no more.
 *
 * <p>At most {@code maxInFlight} attempts are between this step and the end of the route at once:
 * past it the dispatcher thread waits for one to end. A receiver holds at most its per-endpoint
 * share of them, so hung receivers hold only their own.
 */
public final class SendRequest extends AsyncProcessorSupport {

    /**
     * Headers a message may carry that are not sent as such (the same as Camel's HTTP component
     * leaves out): HTTP sets them itself, from the body and the URI, or they are not Herald's to send.
     */
    private static final Set<String> NOT_SENT = Set.of("content-length", "content-type", "host", "cache-control",
            "connection", "date", "pragma", "trailer", "transfer-encoding", "upgrade", "via", "warning");

    private final ReceiverClient client;
    private final IdentityClients identities;
    private final Executor workers;
    private final Semaphore inFlight;
    private final int maxResponseBytes;
    private final long inlineWaitNanos;

    /** {@code identities}: the clients of webhooks with a client certificate (mutual TLS); the others use {@code client}. */
    public SendRequest(ReceiverClient client, IdentityClients identities, Executor workers, int maxInFlight,
                       int maxResponseBytes, long inlineWaitMillis) {
        this.client = client;
        this.identities = identities;
        this.workers = workers;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxResponseBytes = maxResponseBytes;
        this.inlineWaitNanos = inlineWaitMillis * 1_000_000L;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        AsyncRequestProducer request;
        ReceiverClient via;
        try {
            DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
            request = request(job.webhook.url(), exchange.getMessage());
            ClientTls tls = job.webhook.tls();
            via = tls == null ? client : identities.client(tls);
        } catch (RuntimeException e) {
            exchange.setProperty(ReadResponse.WIRE_FAILURE, e);
            callback.done(true);
            return true;
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        CappedResponse response = new CappedResponse(maxResponseBytes);
        Answer answer = new Answer(exchange, callback, response);
        try {
            via.send(request, response, answer);
        } catch (RuntimeException e) {
            // The client is shut down: Herald is stopping.
            inFlight.release();
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        return answer.awaitInline();
    }

    /** The POST to {@code url} (the webhook's, which SetRequest also left in CamelHttpUri) of the message's headers and body. */
    private static AsyncRequestProducer request(String url, Message m) {
        AsyncRequestBuilder request = AsyncRequestBuilder.post(URI.create(url));
        for (Map.Entry<String, Object> h : m.getHeaders().entrySet()) {
            String name = h.getKey();
            if (h.getValue() != null && !name.regionMatches(true, 0, "Camel", 0, 5)
                    && !NOT_SENT.contains(name.toLowerCase(Locale.ROOT))) {
                request.addHeader(name, h.getValue().toString());
            }
        }
        String contentType = m.getHeader(Exchange.CONTENT_TYPE, String.class);
        byte[] body = m.getBody(byte[].class);
        return request.setEntity(AsyncEntityProducers.create(body == null ? new byte[0] : body,
                contentType == null ? ContentType.APPLICATION_OCTET_STREAM : ContentType.parse(contentType))).build();
    }

    /**
     * How the call ended, put on the message by the thread that sent when it still waits, otherwise
     * by a worker; either then runs the rest of the route.
     */
    private final class Answer implements FutureCallback<CappedResponse> {
        private static final int WAITING = 0;
        private static final int ARRIVED = 1;
        private static final int DETACHED = 2;

        private final Exchange exchange;
        private final AsyncCallback callback;
        private final CappedResponse response;
        private final Thread sender = Thread.currentThread();
        private final AtomicInteger state = new AtomicInteger(WAITING);
        private volatile Exception failure;

        Answer(Exchange exchange, AsyncCallback callback, CappedResponse response) {
            this.exchange = exchange;
            this.callback = callback;
            this.response = response;
        }

        /** True when the answer came within the wait and the route went on here; false when it detached. */
        boolean awaitInline() {
            long until = System.nanoTime() + inlineWaitNanos;
            for (long left = inlineWaitNanos; left > 0 && state.get() == WAITING; left = until - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
            if (state.compareAndSet(WAITING, DETACHED)) {
                return false;
            }
            finish(true);
            return true;
        }

        @Override
        public void completed(CappedResponse r) {
            ended(null);
        }

        @Override
        public void failed(Exception e) {
            if (e instanceof CappedResponse.CapReached) {
                return; // completed already, with the body up to the cap
            }
            ended(e);
        }

        @Override
        public void cancelled() {
            ended(new ReceiverClient.DeadlinePassed(client.timeoutMillis()));
        }

        private void ended(Exception e) {
            failure = e;
            if (state.compareAndSet(WAITING, ARRIVED)) {
                LockSupport.unpark(sender);
            } else {
                workers.execute(() -> finish(false));
            }
        }

        private void finish(boolean doneSync) {
            try {
                Message m = exchange.getMessage();
                m.removeHeaders("*");
                m.setBody(null);
                if (response.head() == null) {
                    exchange.setProperty(ReadResponse.WIRE_FAILURE, failure);
                } else {
                    put(m);
                    if (failure != null) {
                        exchange.setProperty(ReadResponse.BODY_FAILURE, failure);
                    }
                }
            } catch (RuntimeException e) {
                exchange.setException(e);
            }
            if (doneSync) {
                inFlight.release();
                callback.done(true);
                return;
            }
            try {
                callback.done(false);
            } finally {
                inFlight.release();
            }
        }

        /** As Camel's HTTP component leaves an answer: a repeated header's values as a list, Camel* ones left out. */
        private void put(Message m) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
            for (Header h : response.headers()) {
                String name = h.getName();
                if (name.regionMatches(true, 0, "Camel", 0, 5) || name.startsWith("org.apache.camel.")) {
                    continue;
                }
                Object had = m.getHeader(name);
                if (had == null) {
                    m.setHeader(name, h.getValue());
                } else {
                    List<Object> values = new ArrayList<>();
                    if (had instanceof List<?> list) {
                        values.addAll(list);
                    } else {
                        values.add(had);
                    }
                    values.add(h.getValue());
                    m.setHeader(name, values);
                }
            }
            m.setBody(new ByteArrayInputStream(response.body()));
        }
    }
}
