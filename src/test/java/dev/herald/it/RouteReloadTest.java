package dev.herald.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald running; an operator adds, changes, breaks and deletes a YAML route in herald.routes.dir,
 * and sees each change over HTTP without a restart, while the built-in routes go on serving.
 */
class RouteReloadTest {

    static final Duration RELOADED = Duration.ofSeconds(30);
    static LogCapture log;
    static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        log = new LogCapture();
        herald = new HeraldApp(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        log.close();
    }

    static String probe(String answer) {
        return """
                - route:
                    id: probe
                    from:
                      uri: platform-http:/probe
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(answer);
    }

    @Test
    void aRouteFileIsLoadedChangedKeptWhileBrokenAndRemovedWithoutARestart() throws Exception {
        herald.writeRoute("probe.yaml", probe("first"));
        awaitProbe("first");

        herald.writeRoute("probe.yaml", probe("second"));
        awaitProbe("second");
        assertThat(herald.call("GET", "/v1/webhooks", null).statusCode()).as("a built-in route").isEqualTo(200);

        // A new file with an unknown step: logged with where it is; what runs goes on.
        String unknownStep = """
                - route:
                    id: broken-step
                    from:
                      uri: platform-http:/broken
                      steps:
                        - setBodyy:
                            constant: "never"
                """;
        Path broken = herald.writeRoute("broken-step.yaml", unknownStep);
        awaitLog(broken, unknownStep, "setBodyy", "setBodyy");
        assertThat(herald.call("GET", "/broken", null, null).statusCode()).isEqualTo(404);

        // A route id Herald uses already: refused, the built-in route goes on.
        Path taken = herald.writeRoute("taken.yaml", probe("taken").replace("id: probe", "id: source-http")
                .replace("/probe", "/taken"));
        waitUntil(RELOADED, () -> log.text().contains("Route file " + taken + " not loaded, line "));
        assertThat(log.text()).contains("(route source-http): the id is taken by a built-in route");
        assertThat(herald.call("POST", "/v1/events", "{\"type\":\"reload.check\",\"data\":{}}").statusCode())
                .isEqualTo(202);

        // The probe's own file broken (YAML syntax), then naming a component Herald lacks: its route
        // keeps answering as before.
        String badYaml = probe("third").replace("      steps:", "     steps: [");
        Path file = herald.writeRoute("probe.yaml", badYaml);
        awaitLog(file, badYaml, "steps: [", "steps");
        String noComponent = probe("third").replace("        - setBody:", "        - to: nosuch:thing\n        - setBody:");
        herald.writeRoute("probe.yaml", noComponent);
        waitUntil(RELOADED, () -> log.text().contains("Route file " + file + " not loaded, line "
                + (lineOf(noComponent, "nosuch") + " (route probe)")));
        awaitProbe("second");

        // Fixed: the new version runs.
        herald.writeRoute("probe.yaml", probe("fixed"));
        awaitProbe("fixed");

        Files.delete(file);
        waitUntil(RELOADED, () -> status("/probe") == 404);
        assertThat(herald.call("GET", "/v1/webhooks", null).statusCode()).as("a built-in route").isEqualTo(200);
    }

    /** Waits for the WARN naming the file, the line holding {@code marker} and the column of {@code at} in it. */
    static void awaitLog(Path file, String yaml, String marker, String at) throws InterruptedException {
        int line = lineOf(yaml, marker);
        int column = yaml.lines().toList().get(line - 1).indexOf(at) + 1;
        String expected = "Route file " + file + " not loaded, line " + line + ", column " + column + ": ";
        waitUntil(RELOADED, () -> log.text().contains(expected));
        assertThat(log.text()).contains("The routes it had keep running");
    }

    static int lineOf(String yaml, String marker) {
        List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker + " not in the file");
    }

    static void awaitProbe(String expected) throws InterruptedException {
        waitUntil(RELOADED, () -> expected.equals(body("/probe")));
    }

    static String body(String path) {
        try {
            HttpResponse<String> r = herald.call("GET", path, null, null);
            return r.statusCode() == 200 ? r.body() : null;
        } catch (Exception e) {
            return null;
        }
    }

    static int status(String path) {
        try {
            return herald.call("GET", path, null, null).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
