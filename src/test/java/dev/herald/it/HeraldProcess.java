package dev.herald.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.herald.it.HeraldApp.waitUntil;

/**
 * Child JVMs on the test classpath (Herald, or another main class such as
 * {@link StandaloneBroker}) for the tests that kill them with SIGKILL. Every child is
 * killed when the test JVM exits, also when a test failed half way (a shutdown hook),
 * so no Herald outlives the build.
 */
final class HeraldProcess {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    // HTTP/1.1 like the CLI: an h2c upgrade loses a large answer now and then (docs/api.md, "HTTP versions").
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private HeraldProcess() {
    }

    /** {@code java <jvmArgs> -cp <test classpath> <mainClass> <args>}, output to {@code log}. */
    static Process java(List<String> jvmArgs, String mainClass, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return p;
    }

    /**
     * Herald with these settings (each becomes -Dkey=value, in order: the last one for a key
     * wins), ready: every route started, as /observe/health/ready on the management port says.
     */
    static Process herald(int managementPort, Map<String, String> settings, Path log) throws Exception {
        List<String> jvm = new ArrayList<>();
        settings.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        jvm.add("-Dherald.management.port=" + managementPort);
        Process p = java(jvm, "dev.herald.Herald", List.of(), log);
        try {
            waitUntil(Duration.ofSeconds(90), () -> !p.isAlive() || HeraldApp.ready(CLIENT, managementPort));
        } catch (AssertionError e) {
            kill9(p);
            throw new AssertionError("Herald not ready within 90 s; its log: " + log, e);
        }
        if (!p.isAlive()) {
            throw new AssertionError("Herald exited at start (" + p.exitValue() + "); its log: " + log);
        }
        return p;
    }

    /** Ready when something accepts TCP connections on 127.0.0.1:{@code port}. */
    static void awaitPort(Process p, int port, Duration timeout) throws InterruptedException {
        waitUntil(timeout, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("process exited before listening on " + port);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** SIGKILL (destroyForcibly on Linux): no shutdown hook, no clean stop; waits until it is gone. */
    static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor();
    }

    /** SIGTERM, a clean stop; SIGKILL if it is not gone within 45 s. The exit code. */
    static int stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(45, TimeUnit.SECONDS)) {
            kill9(p);
        }
        return p.exitValue();
    }
}
