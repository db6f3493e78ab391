package dev.herald.it;

import dev.herald.Herald;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Herald started in this JVM on free ports, with its own data directory. */
final class HeraldApp implements AutoCloseable {

    static final String KEY = "test-key-1";
    final int port;
    final int managementPort;
    final Path dataDir;
    private final Main main;
    private final Thread thread;
    private volatile Exception startFailure;
    // HTTP/1.1 like the CLI: an h2c upgrade loses a large answer now and then (docs/api.md, "HTTP versions").
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HeraldApp(Map<String, String> overrides) throws Exception {
        this(overrides, true);
    }

    /** With awaitReady false it returns as soon as Herald's start has begun: for tests of the start itself. */
    HeraldApp(Map<String, String> overrides, boolean awaitReady) throws Exception {
        this.port = freePort();
        this.managementPort = freePort();
        this.dataDir = Files.createTempDirectory("herald-it");
        main = Herald.create();
        main.addOverrideProperty("herald.http.port", Integer.toString(port));
        main.addOverrideProperty("herald.management.port", Integer.toString(managementPort));
        main.addOverrideProperty("herald.data.dir", dataDir.toString());
        main.addOverrideProperty("herald.db.url", "jdbc:h2:file:" + dataDir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
        main.addOverrideProperty("herald.api.keys", KEY);
        main.addOverrideProperty("herald.delivery.timeout", "2s");
        main.addOverrideProperty("herald.delivery.lease", "5s");
        main.addOverrideProperty("herald.delivery.poll-interval", "200ms");
        // The embedded broker costs a second per start: only the tests of the JMS source turn it on.
        main.addOverrideProperty("herald.jms.enabled", "false");
        main.addOverrideProperty("herald.jms.embedded.port", Integer.toString(freePort()));
        main.addOverrideProperty("herald.routes.dir", dataDir.resolve("routes").toString());
        main.addOverrideProperty("herald.inbox.poll-interval", "100ms");
        // The test receivers listen on loopback, which Herald refuses by default.
        main.addOverrideProperty("herald.delivery.allowed-networks", "127.0.0.0/8");
        // A null value drops the setting above: the built-in default applies.
        overrides.forEach((key, value) -> {
            if (value == null) {
                main.getOverrideProperties().remove(key);
            } else {
                main.addOverrideProperty(key, value);
            }
        });
        thread = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                startFailure = e;
            }
        }, "herald-under-test");
        thread.setDaemon(true);
        thread.start();
        if (!awaitReady) {
            return;
        }
        waitUntil(Duration.ofSeconds(60), () -> !thread.isAlive() || ready(client, managementPort));
        if (!thread.isAlive()) {
            throw new IllegalStateException("Herald did not start", startFailure);
        }
    }

    CamelContext camelContext() {
        return main.getCamelContext();
    }

    /**
     * Readiness says every route has started: the HTTP server answers earlier, while
     * routes are still being added (a request then gets 503 "starting", ApiReadiness).
     */
    static boolean ready(HttpClient client, int managementPort) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    HttpResponse<String> call(String method, String path, String body, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, KEY);
    }

    @Override
    public void close() throws Exception {
        main.completed();
        thread.join(20_000);
        if (thread.isAlive()) {
            // A stop normally takes 2-3 s. Say what it waits on, then give it time: a Herald left
            // running would share this JVM (and the in-VM broker vm://0) with the next test.
            System.err.println("Herald has not stopped 20 s after it was asked to; threads now:");
            Thread.getAllStackTraces().forEach((t, stack) -> {
                System.err.println("\"" + t.getName() + "\" " + t.getState());
                for (StackTraceElement e : stack) {
                    System.err.println("    at " + e);
                }
            });
            thread.join(100_000);
            if (thread.isAlive()) {
                throw new AssertionError("Herald did not stop within 120 s; thread dump in the test output");
            }
        }
    }

    /**
     * Puts a YAML route file into herald.routes.dir as an operator should: written beside it
     * under a name the reload ignores, then renamed in, so Herald never reads half a file.
     */
    Path writeRoute(String name, String yaml) throws IOException {
        Path dir = Path.of(camelContext().resolvePropertyPlaceholders("{{herald.routes.dir}}"));
        Path part = Files.writeString(dir.resolve(name + ".part"), yaml);
        return Files.move(part, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void waitUntil(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(25);
        }
    }
}
