package dev.herald.it;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Producers for {@link DeploymentTest}, as clients of a deployment would be: events with ids of
 * their own, so a batch whose answer was lost can be sent again without a second event. An
 * event is {@link #accepted} only once Herald or the broker said it has it: an HTTP call that
 * answered 202 (or 200: all repeats), a JMS transaction whose commit returned.
 */
final class EventFeed {

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final AtomicInteger httpAccepted = new AtomicInteger();
    final AtomicInteger jmsAccepted = new AtomicInteger();
    final AtomicInteger jmsFailedCommits = new AtomicInteger();
    final AtomicInteger httpRetries = new AtomicInteger();
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int[] ports;
    private final String key;

    EventFeed(int[] ports, String key) {
        this.ports = ports;
        this.key = key;
    }

    /** What went wrong in a sender thread (a sender gives up only when nothing answers for a minute). */
    List<Throwable> failures() {
        return failures;
    }

    /**
     * {@code batches} POST /v1/events calls of {@code size} events on {@code threads} threads, round
     * robin over the instances. A batch refused or unanswered (its instance killed) goes to the
     * next instance, as a load balancer's client would retry it.
     */
    List<Thread> http(String prefix, String type, int batches, int size, int threads) {
        AtomicInteger next = new AtomicInteger();
        List<Thread> out = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            out.add(start("http-feed-" + t, () -> {
                for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                    List<String> ids = new ArrayList<>(size);
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < size; i++) {
                        String id = prefix + "-" + (b * size + i);
                        ids.add(id);
                        body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"type\":\"")
                                .append(type).append("\",\"data\":{\"n\":").append(b * size + i).append("}}");
                    }
                    post(b, body.append(']').toString());
                    accepted.addAll(ids);
                    httpAccepted.addAndGet(size);
                }
            }));
        }
        return out;
    }

    private void post(int batch, String body) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        for (int attempt = 0; ; attempt++) {
            int port = ports[(batch + attempt) % ports.length];
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202 || r.statusCode() == 200) {
                    return;
                }
                if (r.statusCode() != 503) {
                    throw new AssertionError("POST /v1/events on " + port + ": " + r.statusCode() + " " + r.body());
                }
            } catch (java.io.IOException e) {
                // The instance is down (killed, restarting): the next one gets the batch.
            }
            httpRetries.incrementAndGet();
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("no instance accepted batch " + batch + " for a minute");
            }
            Thread.sleep(attempt % ports.length == ports.length - 1 ? 200 : 0);
        }
    }

    /**
     * {@code messages} messages of one event each to herald.events, {@code perCommit} to a local
     * transaction. A commit that threw (the broker killed) leaves its events not accepted; they
     * are not sent again, and the feed reconnects and goes on with new ones.
     */
    Thread jms(String url, String user, String password, String prefix, String type, int messages, int perCommit) {
        return start("jms-feed", () -> {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url, user, password);
            int n = 0;
            long lastSuccess = System.nanoTime();
            while (n < messages) {
                try (Connection c = factory.createConnection()) {
                    Session session = c.createSession(true, Session.SESSION_TRANSACTED);
                    MessageProducer producer = session.createProducer(session.createQueue("herald.events"));
                    while (n < messages) {
                        List<String> ids = new ArrayList<>(perCommit);
                        for (int i = 0; i < perCommit && n < messages; i++, n++) {
                            String id = prefix + "-" + n;
                            ids.add(id);
                            producer.send(session.createTextMessage("{\"id\":\"" + id + "\",\"type\":\"" + type
                                    + "\",\"data\":{\"n\":" + n + "}}"));
                        }
                        session.commit();
                        accepted.addAll(ids);
                        jmsAccepted.addAndGet(ids.size());
                        lastSuccess = System.nanoTime();
                    }
                } catch (JMSException | RuntimeException e) {
                    jmsFailedCommits.incrementAndGet();
                    if (System.nanoTime() - lastSuccess > Duration.ofMinutes(1).toNanos()) {
                        throw new AssertionError("the broker took no message for a minute", e);
                    }
                    Thread.sleep(200);
                }
            }
            factory.close();
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    private Thread start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
