package dev.herald.delivery;

import dev.herald.egress.AttemptDeadline;
import dev.herald.signing.SigningInput;
import dev.herald.store.Database;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steps of the dispatch routes: take a ticket, make one signed attempt, record it
 * and decide what comes next from the webhook's backoff table.
 */
public final class Dispatcher {

    public static final String JOB = "heraldJob";
    public static final String REQUEST = "heraldRequest";
    public static final String STARTED = "heraldStarted";
    /** Set when this exchange sends nothing: the row is no longer ours, Herald is stopping, or it was parked. */
    public static final String SKIP = "heraldSkip";
    /** The exception of the HTTP call itself (connection refused, timeout), set by the route's doCatch. */
    public static final String WIRE_FAILURE = "heraldWireFailure";
    /** The endpoint permit this attempt holds, released when the attempt ends. */
    public static final String PERMIT = "heraldPermit";
    /** A parked delivery the ended attempt passed its slot to: the same exchange goes on with it. */
    public static final String NEXT = "heraldNext";

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final String HTTP_PRODUCER_CLASSES = HttpProducer.class.getName() + "$";
    private static final long LEASE_MARGIN = 15_000;
    /** A lease shorter than the timeout plus this is renewed before the attempt. */
    private static final long LEASE_SAFETY = 5_000;

    private final Database db;
    private final DeliveryClaims deliveries;
    private final WebhookRepository webhooks;
    private final RetryPolicies policies;
    private final long timeoutMillis;
    private final int maxResponseBytes;
    private final long inMemoryMaxMillis;
    private final int inMemoryLimit;
    private final String userAgent;
    private final AtomicInteger waitingInMemory = new AtomicInteger();
    private final EndpointLimiter limiter;
    private final DispatchQueue queue;
    private final AttemptRecorder recorder;
    private final AttemptDeadline deadline;
    private volatile boolean stopping;

    public Dispatcher(Database db, DeliveryClaims deliveries, WebhookRepository webhooks, RetryPolicies policies,
                      long timeoutMillis, int maxResponseBytes, long inMemoryMaxMillis, int inMemoryLimit,
                      String userAgent, EndpointLimiter limiter, DispatchQueue queue, AttemptRecorder recorder,
                      AttemptDeadline deadline) {
        this.deadline = deadline;
        this.recorder = recorder;
        this.limiter = limiter;
        this.queue = queue;
        this.db = db;
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.policies = policies;
        this.timeoutMillis = timeoutMillis;
        this.maxResponseBytes = maxResponseBytes;
        this.inMemoryMaxMillis = inMemoryMaxMillis;
        this.inMemoryLimit = inMemoryLimit;
        this.userAgent = userAgent;
    }

    /**
     * Herald is stopping: no new in-memory waits, and a waiting retry that wakes up hands its
     * row back instead of sending, so the stop is quick and the next start takes the row at once.
     */
    public void stopping() {
        stopping = true;
    }

    /** Loads the work for a ticket; leaves no job when the row is gone, finished or owned by another claim. */
    public void begin(DispatchTicket ticket, Exchange exchange) {
        if (ticket.permit() != null) {
            // Handed back by the endpoint limiter with a slot: used by this attempt, or passed on below.
            exchange.setProperty(PERMIT, ticket.permit());
        }
        keepSlotOnlyIf(exchange, () -> load(ticket, exchange));
    }

    /** Runs a step that may end without an attempt (or fail); then the exchange's slot is passed on. */
    private void keepSlotOnlyIf(Exchange exchange, java.util.function.BooleanSupplier step) {
        boolean attempting = false;
        try {
            attempting = step.getAsBoolean();
        } finally {
            if (!attempting) {
                releasePermit(exchange);
            }
        }
    }

    private boolean load(DispatchTicket ticket, Exchange exchange) {
        DispatchTicket.Fresh state = ticket.fresh();
        // A ticket written or claimed a moment ago, under a lease nobody else can take yet, carries
        // what the row holds. Otherwise the row is read back: it may be finished or claimed anew.
        if (state == null || state.leaseUntil() <= System.currentTimeMillis() + timeoutMillis + LEASE_SAFETY) {
            state = db.read(c -> deliveries.workState(c, ticket.deliveryId()))
                    .filter(s -> Delivery.PENDING.equals(s.status()) && ticket.leaseToken().equals(s.leaseToken()))
                    .map(s -> new DispatchTicket.Fresh(s.event(), s.webhookId(), s.leaseUntil(), s.attempts()))
                    .orElse(null);
            if (state == null) {
                return false;
            }
        }
        // A webhook deleted meanwhile is gone from the repository's view, and the delivery with it.
        Optional<Webhook> webhook;
        try {
            webhook = webhooks.findCached(id -> db.read(c -> webhooks.find(c, id)), state.webhookId());
        } catch (java.sql.SQLException e) {
            throw new dev.herald.store.StoreException(e);
        }
        if (webhook.isEmpty()) {
            return false;
        }
        Webhook w = webhook.get();
        // The endpoint slot before the body is rendered: with a busy endpoint most fresh tickets
        // park here, and a parked ticket is rendered only once, when it is handed back.
        DispatchTicket.Fresh fresh = state;
        if (!takeSlot(exchange, EndpointLimiter.key(w.url()),
                () -> new DispatchTicket(ticket.deliveryId(), ticket.leaseToken(), ticket.trigger(), fresh))) {
            return false;
        }
        exchange.setProperty(JOB, new DeliveryJob(ticket.deliveryId(), ticket.leaseToken(), ticket.trigger(), w,
                state.event(), PayloadRenderer.render(w, state.event()), policies.forWebhook(w), state.attempts(),
                state.leaseUntil()));
        return true;
    }

    /**
     * Makes sure the lease outlasts the attempt, takes a slot at the endpoint (or parks the
     * delivery there) and builds the signed request. Sets {@link #SKIP} when nothing is sent.
     */
    public void startAttempt(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(JOB, DeliveryJob.class);
        exchange.removeProperty(WIRE_FAILURE);
        if (job.waitingInMemory) {
            job.waitingInMemory = false;
            waitingInMemory.decrementAndGet();
        }
        keepSlotOnlyIf(exchange, () -> prepareAttempt(exchange, job));
    }

    private boolean prepareAttempt(Exchange exchange, DeliveryJob job) {
        if (stopping) {
            db.read(c -> deliveries.releaseLeases(c, job.leaseToken));
            exchange.setProperty(SKIP, "stopping");
            return false;
        }
        long now = System.currentTimeMillis();
        // A fresh lease (new or just claimed rows) already covers the attempt: no write needed.
        if (job.leaseUntil < now + timeoutMillis + LEASE_SAFETY) {
            long until = now + timeoutMillis + LEASE_MARGIN;
            if (!db.read(c -> deliveries.renewLease(c, job.deliveryId, job.leaseToken, until))) {
                exchange.setProperty(SKIP, "lease lost");
                return false;
            }
            job.leaseUntil = until;
        }
        if (!takeSlot(exchange, EndpointLimiter.key(job.webhook.url()), () -> parkedTicket(job))) {
            exchange.setProperty(SKIP, "parked");
            return false;
        }
        Webhook w = job.webhook;
        int attempt = job.attemptsMade + 1;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", userAgent);
        headers.put("X-Webhook-Id", job.event.id());
        headers.put(w.eventTypeHeader() == null ? Webhook.DEFAULT_EVENT_TYPE_HEADER : w.eventTypeHeader(), job.event.type());
        headers.put("X-Webhook-Delivery", job.deliveryId);
        headers.put("X-Webhook-Attempt", Integer.toString(attempt));
        headers.putAll(w.headers());
        headers.putAll(w.signature().dialect().sign(
                new SigningInput(job.body, job.event.id(), now / 1000, w.signingSecrets(now))));
        exchange.setProperty(REQUEST, headers);
        exchange.setProperty(STARTED, now);
        return true;
    }

    /**
     * Makes sure the exchange holds a slot at the endpoint: the one it already holds, or a free
     * one; otherwise the delivery is parked (as the ticket {@code parked} builds, only then)
     * without a thread, and the attempt that frees a slot queues it again. False when parked.
     */
    private boolean takeSlot(Exchange exchange, String endpoint, java.util.function.Supplier<DispatchTicket> parked) {
        String held = exchange.getProperty(PERMIT, String.class);
        if (held != null && !held.equals(endpoint)) {
            releasePermit(exchange); // the webhook's URL changed while the ticket was parked
            held = null;
        }
        if (held == null) {
            if (!limiter.acquireOrPark(endpoint, parked)) {
                return false;
            }
            exchange.setProperty(PERMIT, endpoint);
        }
        return true;
    }

    /**
     * The ticket a delivery parks as: it keeps the job's state, so requeued while its lease is long
     * it is sent without reading the row back (with a busy endpoint most tickets park once).
     */
    private static DispatchTicket parkedTicket(DeliveryJob job) {
        return new DispatchTicket(job.deliveryId, job.leaseToken, job.trigger,
                new DispatchTicket.Fresh(job.event, job.webhook.id(), job.leaseUntil, job.attemptsMade));
    }

    /** Puts the request on the message; called right after every Camel header was removed. */
    public void applyRequest(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(JOB, DeliveryJob.class);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = exchange.getProperty(REQUEST, Map.class);
        Message m = exchange.getMessage();
        headers.forEach((name, value) -> {
            // Camel* headers steer the HTTP producer (path, query, URI); such names are refused when a
            // webhook is saved, and never set here, even from a row saved before that rule.
            if (!name.regionMatches(true, 0, "Camel", 0, 5)) {
                m.setHeader(name, value);
            }
        });
        m.setHeader(Exchange.HTTP_URI, job.webhook.url());
        // The enum, not "POST": a string here costs Camel a type-converter search on every request.
        m.setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.POST);
        m.setBody(job.body);
    }

    /**
     * Records the attempt and the row's next state; throws {@link RetryLater} to wait in memory.
     * The slot goes to the endpoint's oldest parked delivery, which this exchange takes on next
     * ({@link #next}): no trip through the queue, no other thread woken.
     */
    public void finishAttempt(Exchange exchange) {
        DispatchTicket handedBack = releaseSlot(exchange);
        try {
            DeliveryJob job = exchange.getProperty(JOB, DeliveryJob.class);
            AttemptRecord result = result(exchange, job);
            Outcome outcome = result.outcome();
            if (outcome.leaseToken() == null) {
                // Nothing more is decided here: the writer commits it while this thread goes on.
                recorder.recordLater(result);
                exchange.setProperty(NEXT, handedBack);
                handedBack = null;
                return;
            }
            // A retry waiting in memory (it keeps the lease). The handed-back ticket is queued now,
            // not kept waiting for this commit.
            requeue(handedBack);
            handedBack = null;
            if (!recorder.record(result)) {
                LOG.warn("Delivery {} was claimed by another owner during attempt {}; its result is not recorded here",
                        job.deliveryId, outcome.attempts());
                return;
            }
            // Recorded: the redelivery policy of the dispatch route makes the attempt again after the delay.
            long retryDelay = Math.max(0, outcome.nextAttemptAt() - result.now());
            job.attemptsMade = outcome.attempts();
            job.leaseUntil = outcome.leaseUntil();
            job.waitingInMemory = true;
            waitingInMemory.incrementAndGet();
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, retryDelay);
            throw new RetryLater(job.deliveryId, retryDelay);
        } finally {
            requeue(handedBack); // not passed on: an exception on the way
        }
    }

    /** The attempt as it is logged, with the row's next state (a lease kept only for a retry waiting in memory). */
    private AttemptRecord result(Exchange exchange, DeliveryJob job) {
        long started = exchange.getProperty(STARTED, Long.class);
        Message m = exchange.getMessage();
        Throwable failure = exchange.getProperty(WIRE_FAILURE, Throwable.class);

        ReceiverResponse response = failure == null ? ReceiverResponse.read(m, maxResponseBytes, deadline) : null;
        deadline.end();
        long end = System.currentTimeMillis();
        // Past the deadline whatever broke was the deadline's cut (a closed socket, a partial read).
        boolean overdue = end - started >= timeoutMillis;
        Integer status = null;
        Map<String, String> responseHeaders = null;
        String responseBody = null;
        String error = null;
        if (failure != null) {
            error = overdue ? HttpErrors.timeout(timeoutMillis) : HttpErrors.describe(failure, timeoutMillis);
        } else {
            status = response.status();
            responseHeaders = response.headers();
            responseBody = response.body();
            if (response.readFailure() != null) {
                error = overdue ? HttpErrors.timeout(timeoutMillis)
                        : "reading the response failed: " + HttpErrors.describe(response.readFailure(), timeoutMillis);
            } else if (status == null) {
                error = "no HTTP status in the response";
            } else if (status >= 300 && status < 400) {
                error = "HTTP " + status + ": redirects are not followed"
                        + (responseHeaders.containsKey("Location") ? " (Location: " + responseHeaders.get("Location") + ")" : "");
            } else if (status < 200 || status >= 300) {
                error = "HTTP " + status;
            }
        }
        int attempt = job.attemptsMade + 1;
        boolean ok = error == null;

        Outcome outcome;
        if (ok) {
            outcome = new Outcome(Delivery.SUCCESS, attempt, status, null, null, null, null, end);
        } else {
            long next = job.singleAttempt() ? -1
                    : job.schedule.nextAttemptAt(attempt, end, ReceiverResponse.retryAfterMillis(status, responseHeaders, end));
            if (next < 0) {
                outcome = new Outcome(Delivery.FAILED, attempt, status, error, null, null, null, null);
            } else if (!stopping && next - end <= inMemoryMaxMillis && waitingInMemory.get() < inMemoryLimit) {
                outcome = new Outcome(Delivery.PENDING, attempt, status, error, next, job.leaseToken,
                        next + LEASE_MARGIN, null);
            } else {
                outcome = new Outcome(Delivery.PENDING, attempt, status, error, next, null, null, null);
            }
        }
        Attempt record = new Attempt(job.deliveryId, attempt, job.trigger, started, end - started, job.webhook.url(),
                job.webhook.maskCustomHeaders(exchange.getProperty(REQUEST, Map.class)),
                // With a payload format the log re-renders the body when read; no copy per attempt.
                job.webhook.payloadFormat() == null ? new String(job.body, StandardCharsets.UTF_8) : null, status,
                responseHeaders, responseBody, error);
        return new AttemptRecord(record, job.leaseToken, outcome, end, job.webhook.payloadFormat());
    }

    /** Takes the delivery handed over by {@link #finishAttempt}, if any, as this exchange's next job. */
    public void next(Exchange exchange) {
        DispatchTicket next = exchange.getProperty(NEXT, DispatchTicket.class);
        exchange.removeProperty(NEXT);
        exchange.removeProperty(JOB);
        exchange.removeProperty(SKIP);
        if (next != null) {
            endHttpCalls(exchange);
            exchange.getMessage().setBody(next);
            begin(next, exchange);
        }
    }

    /**
     * The HTTP producer leaves a completion on the unit of work for every call (it closes the
     * response, already read and closed here). Run now, or an exchange that goes on for thousands
     * of deliveries piles them up, and Camel sorts the pile at every route exit.
     */
    private static void endHttpCalls(Exchange exchange) {
        org.apache.camel.spi.UnitOfWork uow = exchange.getUnitOfWork();
        if (uow == null) {
            return;
        }
        Exchange ended = new org.apache.camel.support.DefaultExchange(exchange.getContext());
        // Its completions are anonymous classes of HttpProducer (HttpProducer$1, ...).
        uow.handoverSynchronization(ended, s -> s.getClass().getName().startsWith(HTTP_PRODUCER_CLASSES));
        java.util.List<org.apache.camel.spi.Synchronization> calls = ended.getExchangeExtension().handoverCompletions();
        if (calls != null) {
            calls.forEach(s -> s.onComplete(exchange));
        }
    }

    private void releasePermit(Exchange exchange) {
        requeue(releaseSlot(exchange));
    }

    /** Queues a ticket handed back holding a slot (nothing when null). */
    private void requeue(DispatchTicket handedBack) {
        if (handedBack != null) {
            queue.offerAll(java.util.List.of(handedBack));
        }
    }

    /** Gives the exchange's slot up; returns the parked ticket it passed to, for the caller to run or queue. */
    private DispatchTicket releaseSlot(Exchange exchange) {
        String endpoint = exchange.getProperty(PERMIT, String.class);
        if (endpoint == null) {
            return null;
        }
        exchange.removeProperty(PERMIT);
        return limiter.release(endpoint);
    }

    /** Deliveries currently waiting for an in-memory retry. */
    public int waitingInMemory() {
        return waitingInMemory.get();
    }
}
