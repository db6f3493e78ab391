package dev.herald.it;

import dev.herald.store.TestDatabase;
import dev.herald.store.TestPostgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale-out deployment of docs/scale-out.md, run for real: three Herald JVMs on one
 * PostgreSQL schema and an external Artemis broker in a JVM of its own, fed over HTTP (round
 * robin) and JMS. One Herald, then the broker, is killed with SIGKILL mid-run and started
 * again. Every accepted event must reach the receiver, and no delivery may be in flight twice
 * at once. On the tests' PostgreSQL ({@link TestPostgres}; the Herald JVMs connect to it). Events:
 * -Dherald.deployment.events (default 30000).
 */
class DeploymentTest {

    private static final int EVENTS = Integer.getInteger("herald.deployment.events", 30_000);
    private static final int INSTANCES = 3;
    private static final String KEY = "deployment-key-1";
    // Per-endpoint concurrency (one receiver here) and the attempt writer's backlog: see repeatBound().
    private static final int PER_ENDPOINT = 8;
    private static final int ATTEMPT_WRITER_BACKLOG = 4096 + 256;
    private static final Duration DELIVERY_WAIT = Duration.ofMinutes(5);

    private static String schema;
    private static Path work;
    private static DeliveryLog receiver;
    private static Deployment deployment;

    @BeforeAll
    static void startDeployment() throws Exception {
        schema = TestDatabase.createPostgresSchema();
        work = Files.createTempDirectory("herald-deployment");
        receiver = new DeliveryLog();
        byte[] secretsKey = new byte[32];
        new SecureRandom().nextBytes(secretsKey);
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("herald.db.url", TestPostgres.url(schema));
        shared.put("herald.db.user", TestDatabase.PG_USER);
        shared.put("herald.db.password", "");
        shared.put("herald.db.pool-size", "8");
        shared.put("herald.api.keys", KEY);
        shared.put("herald.secrets.key", Base64.getEncoder().encodeToString(secretsKey));
        shared.put("herald.inbox.enabled", "false");
        shared.put("herald.delivery.allowed-networks", "127.0.0.0/8");
        shared.put("herald.delivery.per-endpoint-concurrency", Integer.toString(PER_ENDPOINT));
        // Longer than an attempt may take (timeout), so a live instance never loses a lease mid-attempt;
        // short, so a killed instance's deliveries are taken over within seconds.
        shared.put("herald.delivery.timeout", "5s");
        shared.put("herald.delivery.lease", "10s");
        shared.put("herald.delivery.poll-interval", "200ms");
        shared.put("herald.delivery.breaker.failures", "0");
        deployment = Deployment.start(work, INSTANCES, shared);

        HttpResponse<String> hook = call(deployment.httpPorts()[0], "POST", "/v1/webhooks", "{\"url\":\""
                + receiver.url("/deployment") + "\",\"events\":[\"dep.*\"],\"retry_schedule\":[\"0s\",\"1s\",\"2s\",\"5s\",\"10s\"]}");
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
    }

    @AfterAll
    static void stopDeployment() throws Exception {
        try {
            if (deployment != null) {
                deployment.close();
            }
        } finally {
            if (receiver != null) {
                receiver.close();
            }
            if (schema != null) {
                TestDatabase.dropPostgresSchema(schema);
            }
        }
    }

    @Test
    void everyInstanceUsesTheExternalBrokerAndRunsNoEmbeddedOne() throws Exception {
        for (int i = 0; i < INSTANCES; i++) {
            Path data = deployment.dataDir(i);
            assertThat(Files.readString(deployment.log(i))).contains("JMS source uses the broker at " + deployment.brokerUrl())
                    .doesNotContain("Embedded JMS broker started");
            assertThat(data.resolve("artemis")).as("no embedded broker journal").doesNotExist();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", deployment.embeddedPort(i)), 500);
                throw new AssertionError("something listens on the embedded broker's port of instance " + i);
            } catch (java.io.IOException expected) {
                // Nothing there: the embedded broker did not start.
            }
        }
    }

    /** The start log says so when the server does not vacuum on its own (store.VacuumCheck says why it matters). */
    @Test
    void theStartLogWarnsExactlyWhenAutovacuumIsOff() throws Exception {
        boolean off;
        try (java.sql.Connection c = TestPostgres.admin();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT setting FROM pg_settings WHERE name = 'autovacuum'")) {
            rs.next();
            off = rs.getString(1).equals("off");
        }
        for (int i = 0; i < INSTANCES; i++) {
            assertThat(Files.readString(deployment.log(i)).contains("PostgreSQL runs with autovacuum off"))
                    .as("instance " + i + " warns (server autovacuum off: " + off + ")").isEqualTo(off);
        }
    }

    /** One Herald killed with SIGKILL when a third of the events are in, and started again. */
    @Test
    void aKilledInstanceLosesNoEventAndNoDeliveryIsInFlightTwice() throws Exception {
        int jms = EVENTS / 5;
        int batches = (EVENTS - jms + 99) / 100;
        EventFeed feed = new EventFeed(deployment.httpPorts(), KEY);
        long begin = System.nanoTime();
        List<Thread> senders = new ArrayList<>(feed.http("r1-h", "dep.http", batches, 100, INSTANCES));
        senders.add(feed.jms(deployment.brokerUrl(), Deployment.BROKER_USER, deployment.brokerPassword(),
                "r1-j", "dep.jms", jms, 20));
        HeraldApp.waitUntil(Duration.ofMinutes(3), () -> feed.accepted.size() >= EVENTS / 3 || !feed.failures().isEmpty());
        int acceptedAtKill = feed.accepted.size();
        long killedAt = deployment.kill9AndRestartHerald(1);
        for (Thread t : senders) {
            t.join();
        }
        assertThat(feed.failures()).as("sender failures").isEmpty();
        assertThat(feed.accepted).hasSizeGreaterThanOrEqualTo(EVENTS);
        awaitDelivered(feed);
        double seconds = (System.nanoTime() - begin) / 1e9;

        Map<String, List<DeliveryLog.Hit>> byDelivery = receiver.byDelivery(feed.accepted);
        assertThat(DeliveryLog.overlapping(byDelivery)).as("deliveries in flight twice at once").isEmpty();
        List<String> repeated = byDelivery.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        // Only what the killed instance had sent but not yet recorded may be sent again: every first
        // copy of a repeat reached the receiver before the kill.
        List<String> repeatedNotAtKill = repeated.stream()
                .filter(id -> byDelivery.get(id).get(0).start() > killedAt).toList();
        System.out.printf("DEPLOYMENT run 1 (Herald kill -9): %d events accepted (%d HTTP on %d instances, %d JMS),"
                + " instance 1 killed at %d accepted; all delivered in %.1f s (%.0f deliveries/s, %d requests);"
                + " %d deliveries received more than once (bound %d); 0 in flight twice at once; %d HTTP batches re-sent%n",
                feed.accepted.size(), feed.httpAccepted.get(), INSTANCES, feed.jmsAccepted.get(), acceptedAtKill, seconds,
                hits(byDelivery) / seconds, hits(byDelivery), repeated.size(), repeatBound(), feed.httpRetries.get());
        // How long before the kill the first copies were answered: how far the killed instance's
        // recording of results was behind (a result not committed is an attempt made again).
        repeated.stream().mapToLong(id -> killedAt - byDelivery.get(id).get(0).end()).max().ifPresent(ns ->
                System.out.printf("  the oldest repeat was first answered %d ms before the kill%n", ns / 1_000_000));
        // Per-endpoint concurrency is per instance: the receiver sees up to N times the bound at once
        // (the killed instance's last requests may still be in its hands when the new one starts).
        int mostAtOnce = receiver.mostAtOnce();
        System.out.printf("  at most %d requests in the receiver's hands at once (%d instances, %d each)%n",
                mostAtOnce, INSTANCES, PER_ENDPOINT);
        assertThat(mostAtOnce).as("requests at the receiver at once").isLessThanOrEqualTo((INSTANCES + 1) * PER_ENDPOINT);
        assertThat(repeatedNotAtKill).as("deliveries sent twice although first sent after the kill").isEmpty();
        assertThat(repeated.size()).as("deliveries received more than once").isLessThanOrEqualTo(repeatBound());
    }

    /** The broker killed with SIGKILL while messages are being sent and consumed, and started again. */
    @Test
    void aKilledBrokerLosesNoAcceptedEventAndEveryInstanceReconnects() throws Exception {
        int total = Math.max(3000, EVENTS / 5);
        int jms = total / 2;
        EventFeed feed = new EventFeed(deployment.httpPorts(), KEY);
        long begin = System.nanoTime();
        List<Thread> senders = new ArrayList<>(feed.http("r2-h", "dep.http", (total - jms) / 100, 100, INSTANCES));
        senders.add(feed.jms(deployment.brokerUrl(), Deployment.BROKER_USER, deployment.brokerPassword(),
                "r2-j", "dep.jms", jms, 20));
        HeraldApp.waitUntil(Duration.ofMinutes(3), () -> feed.jmsAccepted.get() >= jms / 3 || !feed.failures().isEmpty());
        int jmsBeforeKill = feed.jmsAccepted.get();
        deployment.kill9AndRestartBroker();
        double[] jmsAtRestart = new double[INSTANCES];
        for (int i = 0; i < INSTANCES; i++) {
            jmsAtRestart[i] = deployment.jmsIngested(i);
        }
        for (Thread t : senders) {
            t.join();
        }
        assertThat(feed.failures()).as("sender failures").isEmpty();
        int jmsAfterRestart = feed.jmsAccepted.get() - jmsBeforeKill;
        assertThat(jmsAfterRestart).as("JMS events accepted by the restarted broker").isPositive();
        // Each instance consumes again after the restart: none is left without a connection. The
        // instances reconnect up to 5 s apart and the first ones back may have taken the whole rest of
        // the feed, so small transactions follow until each took some (the broker shares new messages
        // among the consumers it has).
        int late = 0;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!tookJmsSince(jmsAtRestart) && System.nanoTime() < until) {
            Thread sender = feed.jms(deployment.brokerUrl(), Deployment.BROKER_USER, deployment.brokerPassword(),
                    "r2-late" + late++, "dep.jms", 20, 20);
            sender.join();
            Thread.sleep(200);
        }
        for (int i = 0; i < INSTANCES; i++) {
            assertThat(deployment.jmsIngested(i)).as("JMS events taken by instance " + i + " after the broker's restart")
                    .isGreaterThan(jmsAtRestart[i]);
        }
        assertThat(feed.failures()).as("sender failures").isEmpty();
        awaitDelivered(feed);
        double seconds = (System.nanoTime() - begin) / 1e9;

        Map<String, List<DeliveryLog.Hit>> byDelivery = receiver.byDelivery(feed.accepted);
        assertThat(DeliveryLog.overlapping(byDelivery)).as("deliveries in flight twice at once").isEmpty();
        long repeated = byDelivery.values().stream().filter(l -> l.size() > 1).count();
        System.out.printf("DEPLOYMENT run 2 (broker kill -9): %d events accepted (%d HTTP, %d JMS, of which %d after the"
                + " broker's restart, %d more in %d transactions until each instance took some), %d JMS transactions failed"
                + " around the kill; all delivered in %.1f s (%.0f deliveries/s);"
                + " %d deliveries received more than once; 0 in flight twice at once%n",
                feed.accepted.size(), feed.httpAccepted.get(), feed.jmsAccepted.get(), jmsAfterRestart, late * 20, late,
                feed.jmsFailedCommits.get(), seconds, hits(byDelivery) / seconds, repeated);
        // No Herald died: a redelivered message carries the same event ids, so it adds no delivery.
        assertThat(repeated).as("deliveries received more than once with no Herald killed").isZero();
    }

    private boolean tookJmsSince(double[] before) throws Exception {
        for (int i = 0; i < before.length; i++) {
            if (deployment.jmsIngested(i) <= before[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the killed instance can have sent without its result being committed: the attempts in
     * flight to the one receiver (per-endpoint concurrency) and the answered attempts waiting in
     * its attempt writer (AttemptRecorder: a queue of 4096 and a group of 256 being committed).
     */
    private static int repeatBound() {
        return PER_ENDPOINT + ATTEMPT_WRITER_BACKLOG;
    }

    private static long hits(Map<String, List<DeliveryLog.Hit>> byDelivery) {
        return byDelivery.values().stream().mapToLong(List::size).sum();
    }

    private static void awaitDelivered(EventFeed feed) throws InterruptedException {
        try {
            HeraldApp.waitUntil(DELIVERY_WAIT, () -> receiver.deliveredEvents().containsAll(feed.accepted));
        } catch (AssertionError e) {
            List<String> missing = feed.accepted.stream().filter(id -> !receiver.deliveredEvents().contains(id)).toList();
            throw new AssertionError(missing.size() + " of " + feed.accepted.size() + " accepted events not delivered within "
                    + DELIVERY_WAIT + ", e.g. " + missing.stream().limit(10).toList() + "; logs in " + work, e);
        }
    }

    static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
