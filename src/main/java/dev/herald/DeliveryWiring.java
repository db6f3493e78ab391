package dev.herald;

import dev.herald.delivery.log.AttemptLog;
import dev.herald.delivery.log.AttemptRecorder;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.delivery.log.DeliveryReads;
import dev.herald.delivery.step.DeliverySteps;
import dev.herald.delivery.flow.DispatchLanes;
import dev.herald.delivery.flow.DispatchQueue;
import dev.herald.delivery.flow.EndpointBreaker;
import dev.herald.delivery.flow.EndpointLimiter;
import dev.herald.delivery.flow.Leases;
import dev.herald.delivery.flow.Scheduler;
import dev.herald.delivery.step.SchedulerSteps;
import dev.herald.delivery.flow.WebhookPace;
import dev.herald.egress.AddressPolicy;
import dev.herald.egress.EgressProxy;
import dev.herald.egress.IdentityClients;
import dev.herald.egress.ReceiverClient;
import dev.herald.event.EventStore;
import dev.herald.oauth.TokenClient;
import dev.herald.oauth.Tokens;
import dev.herald.store.Database;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Delivery: the queue and the per-endpoint bound, the HTTP client to receivers, the steps of
 * routes/deliver.yaml, the attempt writer and the scheduler of routes/scheduler.yaml.
 */
final class DeliveryWiring {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWiring.class);

    final EventStore events = new EventStore();
    final DeliveryClaims claims;
    final DeliveryReads reads = new DeliveryReads();
    final AttemptLog attemptLog;
    final DispatchQueue queue;
    final EndpointBreaker breaker;
    final AddressPolicy addressPolicy;
    /** The steps of routes/deliver.yaml; bound once the other packages' steps of that route exist. */
    final DeliverySteps steps;
    /** herald.instance.id, or host name and process id. */
    final String instance;
    /** Asks the scheduler to claim now, not at its next poll (one request waiting is enough). */
    final Runnable claimNow;

    DeliveryWiring(CamelContext context, Settings s, Database db, WebhookRepository webhooks, RetryPolicies policies,
                   String userAgent) {
        Registry r = context.getRegistry();
        claims = new DeliveryClaims(events, db.dialect());
        attemptLog = new AttemptLog(db.dialect());
        // Half the room for new work (a quarter of the queue) may be parked in all; the rest always
        // serves endpoints with free slots.
        EndpointLimiter limiter = new EndpointLimiter(s.integer("herald.delivery.per-endpoint-concurrency"),
                s.integer("herald.delivery.max-parked-per-endpoint"), s.integer("herald.delivery.queue-size") / 4);
        long timeout = s.millis("herald.delivery.timeout");
        // A probe whose delivery ended without an attempt (finished meanwhile, Herald stopping) lets
        // another probe once an attempt would surely have ended.
        breaker = new EndpointBreaker(s.integer("herald.delivery.breaker.failures"),
                s.millis("herald.delivery.breaker.open-for"), s.millis("herald.delivery.breaker.max-open"), timeout + 5_000);
        instance = instanceId(s.text("herald.instance.id"));
        Leases leases = new Leases(instance);
        LOG.info("Instance {}: the deliveries it works on carry lease tokens {}:*", instance, leases.prefix());
        // One timer thread hands rate-limited deliveries back at their send times; none waits on a thread.
        java.util.concurrent.ScheduledExecutorService paceTimer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r2 -> {
                    Thread t = new Thread(r2, "herald-pace");
                    t.setDaemon(true);
                    return t;
                });
        WebhookPace pace = new WebhookPace(db, paceTimer);
        r.bind("dispatchLanes", new DispatchLanes.Factory());
        queue = new DispatchQueue(context, s.millis("herald.delivery.lease"), leases, limiter, breaker,
                webhooks::cachedUrl, pace);

        addressPolicy = AddressPolicy.of(s.text("herald.delivery.allowed-networks"));
        int perEndpoint = s.integer("herald.delivery.per-endpoint-concurrency");
        int maxInFlight = s.integer("herald.delivery.max-in-flight");
        // Connections: every attempt in flight, and as many idle ones kept for the next; per receiver
        // twice its bound, so one still closing never makes an attempt wait for the pool.
        EgressProxy proxy = EgressProxy.parse(s.text("herald.delivery.proxy"), s.text("herald.delivery.no-proxy"));
        if (proxy != null) {
            LOG.info("Deliveries go out through the proxy {}; receivers are still checked against"
                    + " herald.delivery.allowed-networks before the proxy is asked", proxy);
        }
        ReceiverClient client = new ReceiverClient(addressPolicy, timeout, maxInFlight * 2, perEndpoint * 2, proxy, null);
        // Webhooks with a client certificate: a client per certificate, built the same way with the same
        // bounds and proxy (a pool holds no connection it has not opened; SendRequest bounds the attempts of all).
        IdentityClients identities = new IdentityClients(
                identity -> new ReceiverClient(addressPolicy, timeout, maxInFlight * 2, perEndpoint * 2, proxy, identity),
                s.integer("herald.delivery.tls.max-clients"), s.millis("herald.delivery.tls.idle-close"), timeout);
        ExecutorService workers = workers("herald-attempt-end-", s.integer("herald.delivery.concurrency"));
        // Attempts that waited for an OAuth2 token (or send again after a 401) go on here, not on the
        // workers: they send, and may wait for room in max-in-flight, which only the workers make.
        ExecutorService tokenThreads = workers("herald-after-token-", s.integer("herald.delivery.concurrency"));
        // After the routes stopped: the clients first (an attempt they still had ends on a worker), then the workers.
        s.onStop(() -> {
            client.close();
            identities.close();
            workers.shutdown();
            tokenThreads.shutdown();
        });

        AttemptRecorder recorder = new AttemptRecorder(db, attemptLog);
        // OAuth2 tokens for receivers that want them, fetched through the same client (guard, deadline).
        Tokens tokens = new Tokens(new TokenClient(client, s.millis("herald.oauth.default-expires-in") / 1000, userAgent));
        steps = new DeliverySteps(context, db, claims, webhooks, policies, limiter, breaker, queue, recorder, client, identities,
                tokens, workers, tokenThreads,
                maxInFlight, s.millis("herald.delivery.inline-wait"), timeout, s.integer("herald.delivery.max-response-bytes"), userAgent);
        // Deliveries waiting for their send time keep their leases: released with the others below.
        context.getManagementStrategy().addEventNotifier(onContextStopping(() -> {
            steps.stopping();
            paceTimer.shutdownNow();
        }));

        Scheduler scheduler = new Scheduler(db, claims, webhooks, queue, 500, s.millis("herald.delivery.poll-interval"));
        SchedulerSteps.bind(r, scheduler);
        // A saturated endpoint with room again: claim for it now, not at the next poll (one request
        // waiting is enough; more would claim the same rows).
        ProducerTemplate wake = context.createProducerTemplate();
        claimNow = () -> wake.sendBody("seda:claim-now?size=1&discardWhenFull=true", null);
        limiter.onRoom(claimNow);
        // Likewise a rate-limited webhook whose deliveries in memory run low while more wait in the database.
        pace.wire(queue::offerAll, claimNow);
        // The next delivery of an ordered line is due: claimed now, not at the next poll.
        recorder.onOrderAdvanced(claimNow);

        // After the routes stopped (added later, stopped earlier) and before the pool closes: the last
        // attempt results are written, then the leases handed back for the next start.
        s.onStop(() -> {
            if (!recorder.flush(5_000)) {
                LOG.warn("The last attempt results were not all written within 5 s; those deliveries are attempted again");
            }
            try {
                LOG.info("Released {} pending deliveries for the next start", scheduler.releaseLeases());
            } catch (RuntimeException e) {
                LOG.warn("Could not release leases; they expire on their own: {}", e.getMessage());
            }
        });
    }

    /**
     * The threads that run the deliver route on from an answer (or a failure) of the receiver, or
     * (a pool of their own) from a token: the HTTP client's I/O threads hand it over, and must never
     * wait. The queue is unbounded (an I/O thread is never refused nor made to run the step itself);
     * SendRequest's bound on attempts in flight bounds it, and the per-endpoint bound the attempts
     * waiting for a token.
     */
    private static ExecutorService workers(String name, int threads) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The setting, or this host's name and the process id (e.g. {@code web-1.4242}). */
    static String instanceId(String setting) {
        if (!setting.isBlank()) {
            return setting.trim();
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (java.io.IOException | RuntimeException e) {
                host = "herald";
            }
        }
        return host + "." + ProcessHandle.current().pid();
    }

    /**
     * Only the context's stopping event: with exchange events ignored, Camel does not build an
     * event for every exchange of every delivery.
     */
    private static EventNotifierSupport onContextStopping(Runnable action) {
        EventNotifierSupport notifier = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    action.run();
                }
            }
        };
        notifier.setIgnoreExchangeEvents(true);
        notifier.setIgnoreRouteEvents(true);
        notifier.setIgnoreServiceEvents(true);
        notifier.setIgnoreStepEvents(true);
        return notifier;
    }
}
