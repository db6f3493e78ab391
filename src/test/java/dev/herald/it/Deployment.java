package dev.herald.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The processes of {@link DeploymentTest}: a {@link StandaloneBroker} and N Herald instances
 * sharing the {@code shared} settings (database, keys), each with its own data directory, HTTP
 * and management ports, all started in child JVMs and killed with the test JVM at the latest.
 */
final class Deployment implements AutoCloseable {

    static final String BROKER_USER = "herald";

    private final Path work;
    private final int brokerPort;
    private final String brokerPassword = UUID.randomUUID().toString();
    private final List<Map<String, String>> settings = new ArrayList<>();
    private final int[] httpPorts;
    private final int[] managementPorts;
    private final int[] embeddedPorts;
    private final Process[] heralds;
    private Process broker;

    private Deployment(Path work, int instances) throws Exception {
        this.work = work;
        this.brokerPort = HeraldApp.freePort();
        this.httpPorts = new int[instances];
        this.managementPorts = new int[instances];
        this.embeddedPorts = new int[instances];
        this.heralds = new Process[instances];
    }

    static Deployment start(Path work, int instances, Map<String, String> shared) throws Exception {
        Deployment d = new Deployment(work, instances);
        try {
            d.startBroker();
            for (int i = 0; i < instances; i++) {
                d.httpPorts[i] = HeraldApp.freePort();
                d.managementPorts[i] = HeraldApp.freePort();
                d.embeddedPorts[i] = HeraldApp.freePort();
                Map<String, String> s = new LinkedHashMap<>(shared);
                s.put("herald.http.port", Integer.toString(d.httpPorts[i]));
                s.put("herald.data.dir", d.dataDir(i).toString());
                s.put("herald.routes.dir", d.dataDir(i).resolve("routes").toString());
                s.put("herald.jms.broker-url", d.brokerUrl());
                s.put("herald.jms.user", BROKER_USER);
                s.put("herald.jms.password", d.brokerPassword);
                // Would be the embedded broker's port: the test checks nothing listens there.
                s.put("herald.jms.embedded.port", Integer.toString(d.embeddedPorts[i]));
                d.settings.add(s);
            }
            // Side by side, as an operator's orchestrator would: Flyway's lock on PostgreSQL lets
            // exactly one of them migrate the schema.
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(instances);
            for (int i = 0; i < instances; i++) {
                int n = i;
                starts.add(CompletableFuture.runAsync(() -> {
                    try {
                        d.startHerald(n);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, starters));
            }
            try {
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            } finally {
                starters.shutdown();
            }
            return d;
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    String brokerPassword() {
        return brokerPassword;
    }

    int[] httpPorts() {
        return httpPorts.clone();
    }

    int embeddedPort(int i) {
        return embeddedPorts[i];
    }

    Path dataDir(int i) {
        return work.resolve("herald-" + i);
    }

    Path log(int i) {
        return work.resolve("herald-" + i + ".log");
    }

    /** Events instance {@code i} took from JMS since it started (its herald_events_ingested_total). */
    double jmsIngested(int i) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + managementPorts[i] + "/observe/metrics"))
                .timeout(Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return MetricsTest.counter(r.body(), "herald_events_ingested_total", "source=\"jms\"");
    }

    /** SIGKILL to instance {@code i}, then the same instance again; the nanoTime once it was dead. */
    long kill9AndRestartHerald(int i) throws Exception {
        HeraldProcess.kill9(heralds[i]);
        long dead = System.nanoTime();
        startHerald(i);
        return dead;
    }

    /** SIGKILL to the broker; a second without it (sends fail), then it again on the same journal. */
    void kill9AndRestartBroker() throws Exception {
        HeraldProcess.kill9(broker);
        Thread.sleep(1000);
        startBroker();
    }

    private void startBroker() throws Exception {
        Path dir = work.resolve("broker");
        Files.createDirectories(dir);
        broker = HeraldProcess.java(List.of("-Xmx512m"), StandaloneBroker.class.getName(),
                List.of(dir.toString(), Integer.toString(brokerPort), BROKER_USER, brokerPassword), work.resolve("broker.log"));
        HeraldProcess.awaitPort(broker, brokerPort, Duration.ofSeconds(60));
    }

    private void startHerald(int i) throws Exception {
        Files.createDirectories(dataDir(i));
        heralds[i] = HeraldProcess.herald(managementPorts[i], settings.get(i), log(i));
    }

    /** Clean stops (each hands its leases back), the broker last. */
    @Override
    public void close() throws Exception {
        for (Process p : heralds) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : heralds) {
            if (p != null) {
                HeraldProcess.stop(p);
            }
        }
        if (broker != null) {
            HeraldProcess.stop(broker);
        }
    }
}
