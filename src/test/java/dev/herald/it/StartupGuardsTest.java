package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts that must fail, each in its own JVM as an operator runs Herald: a second Herald on a data
 * directory in use, a wrong secrets key, a bad setting. Each exits 1 with one line saying why (no
 * stack trace), leaves the running Herald alone, and leaves no herald.running of its own behind (the
 * next start would take it for a crash and rebuild the indexes).
 */
class StartupGuardsTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                HeraldProcess.stop(p);
            }
        }
    }

    @Test
    void aSecondHeraldOnTheSameDataDirectorySaysSoInOneLineAndTheFirstKeepsServing() throws Exception {
        Path data = Files.createTempDirectory("herald-twice");
        int port = HeraldApp.freePort();
        Process first = running(data, port, Map.of());
        Path marker = data.resolve("herald.running");
        assertThat(Files.readString(marker)).isEqualTo(Long.toString(first.pid()));

        Path log = data.resolve("second.log");
        Process second = failed(data, HeraldApp.freePort(), Map.of(), log);

        assertThat(second.exitValue()).isEqualTo(1);
        String output = Files.readString(log);
        assertThat(output).contains("Herald did not start: the data directory " + data.toRealPath()
                + " is in use by another Herald (pid " + first.pid() + ")");
        assertNoStackTrace(output);
        // The first one's marker is untouched, and it still answers.
        assertThat(Files.readString(marker)).isEqualTo(Long.toString(first.pid()));
        assertThat(webhooks(port).statusCode()).isEqualTo(200);
        assertThat(first.isAlive()).isTrue();

        assertThat(HeraldProcess.stop(first)).isZero();
        assertThat(marker).doesNotExist();
    }

    @Test
    void startsThatFailLeaveNoMarkerSoTheNextStartIsNotTakenForACrash() throws Exception {
        Path data = Files.createTempDirectory("herald-failed-start");
        String key = SecretsAtRestTest.newKey();
        int port = HeraldApp.freePort();
        Process withKey = running(data, port, Map.of("herald.secrets.key", key));
        HttpResponse<String> created = call(port, "POST", "/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"a.b\"],\"headers\":{\"X-Token\":\"t0k3n\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String hook = new ObjectMapper().readTree(created.body()).get("id").asText();
        assertThat(HeraldProcess.stop(withKey)).isZero();
        Path marker = data.resolve("herald.running");
        assertThat(marker).doesNotExist();

        Path wrongKeyLog = data.resolve("wrong-key.log");
        Process wrongKey = failed(data, port, Map.of("herald.secrets.key", SecretsAtRestTest.newKey()), wrongKeyLog);
        assertThat(wrongKey.exitValue()).isEqualTo(1);
        String output = Files.readString(wrongKeyLog);
        assertThat(output).contains("Herald did not start: Cannot start: webhook " + hook + ": a sealed secret cannot be opened");
        assertNoStackTrace(output);
        assertThat(marker).doesNotExist();

        // A setting read after the database opened.
        Path badSettingLog = data.resolve("bad-setting.log");
        Process badSetting = failed(data, port, Map.of("herald.secrets.key", key, "herald.delivery.timeout", "soon"), badSettingLog);
        assertThat(badSetting.exitValue()).isEqualTo(1);
        assertThat(Files.readString(badSettingLog)).contains("Herald did not start:").contains("herald.delivery.timeout");
        assertNoStackTrace(Files.readString(badSettingLog));
        assertThat(marker).doesNotExist();

        Path nextLog = data.resolve("next.log");
        Process next = HeraldProcess.herald(HeraldApp.freePort(), settings(data, port, Map.of("herald.secrets.key", key)), nextLog);
        started.add(next);
        assertThat(webhooks(port).body()).contains(hook);
        assertThat(Files.readString(nextLog)).doesNotContain("did not stop cleanly").doesNotContain("rebuilding");
    }

    private Process running(Path data, int port, Map<String, String> extra) throws Exception {
        Process p = HeraldProcess.herald(HeraldApp.freePort(), settings(data, port, extra), data.resolve("herald-" + System.nanoTime() + ".log"));
        started.add(p);
        return p;
    }

    /** A start expected to end by itself; the process, ended. */
    private Process failed(Path data, int port, Map<String, String> extra, Path log) throws Exception {
        List<String> jvm = new ArrayList<>();
        settings(data, port, extra).forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        jvm.add("-Dherald.management.port=" + HeraldApp.freePort());
        Process p = HeraldProcess.java(jvm, "dev.herald.Herald", List.of(), log);
        started.add(p);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the start ended on its own; its log: " + log).isTrue();
        return p;
    }

    private static Map<String, String> settings(Path data, int port, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("herald.http.port", Integer.toString(port));
        s.put("herald.data.dir", data.toString());
        s.put("herald.db.url", "jdbc:h2:file:" + data.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
        s.put("herald.api.keys", HeraldApp.KEY);
        s.put("herald.jms.enabled", "false");
        s.put("herald.delivery.allowed-networks", "127.0.0.0/8");
        s.put("herald.routes.dir", data.resolve("routes").toString());
        s.putAll(extra);
        return s;
    }

    /** No Java stack trace: no "at pkg.Class.method(" line and no "Caused by:". */
    static void assertNoStackTrace(String output) {
        assertThat(output.lines().filter(l -> l.matches("\\s+at [\\w.$]+\\(.*") || l.startsWith("Caused by:")).toList())
                .as(output).isEmpty();
    }

    private static HttpResponse<String> webhooks(int port) throws Exception {
        return call(port, "GET", "/v1/webhooks", null);
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + HeraldApp.KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
