package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.cli.HeraldCli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The command line client (dev.herald.cli) in this JVM, against a Herald and a real receiver. */
class CliTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static HeraldApp herald;
    static Receiver receiver;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    /**
     * The CLI against this test's Herald: --server and --api-key given after the command, where users type
     * them (CliOptionsTest puts them before), so the environment plays no part.
     */
    static Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "http://127.0.0.1:" + herald.port, "--api-key", HeraldApp.KEY));
        return raw(all.toArray(String[]::new));
    }

    static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeraldCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String createHook(String path, String events) throws Exception {
        Run created = cli("webhooks", "create", "--url", receiver.url(path), "--events", events, "--json");
        assertThat(created.code()).as(created.err()).isZero();
        return JSON.readTree(created.out()).get("id").asText();
    }

    @Test
    void createTestListPauseAndGet() throws Exception {
        String path = "/cli-" + UUID.randomUUID();
        Run created = cli("webhooks", "create", "--url", receiver.url(path), "--events", "cli.a,cli.b",
                "--secret", "s3cret-value");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("url:", receiver.url(path), "cli.a,cli.b", "active");
        String hook = created.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow()
                .substring(3).strip();
        assertThat(hook).startsWith("hook_");

        Run test = cli("webhooks", "test", hook);
        assertThat(test.code()).as(test.err()).isZero();
        assertThat(test.out()).contains("test event evt_", "delivery del_");
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        assertThat(receiver.to(path).get(0).header("X-Webhook-Event")).isEqualTo("test");
        assertThat(new String(receiver.to(path).get(0).body(), StandardCharsets.UTF_8)).contains("\"type\":\"test\"");

        waitUntil(Duration.ofSeconds(10), () -> cli("deliveries", "list", "--webhook", hook).out().contains("success"));
        Run table = cli("deliveries", "list", "--webhook", hook);
        assertThat(table.code()).isZero();
        assertThat(table.out().lines().toList()).hasSize(2);
        assertThat(table.out()).startsWith("ID").contains("STATUS", "ATTEMPTS", "STATUS_CODE", "CREATED_AT");
        assertThat(table.out().lines().toList().get(1)).startsWith("del_").contains("success", " 1 ", " 200 ");
        Run json = cli("deliveries", "list", "--webhook", hook, "--json");
        assertThat(json.code()).isZero();
        JsonNode page = JSON.readTree(json.out());
        assertThat(page.get("deliveries")).hasSize(1);
        assertThat(page.get("deliveries").get(0).get("status").asText()).isEqualTo("success");

        Run list = cli("webhooks", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains(hook, receiver.url(path));

        Run pause = cli("webhooks", "pause", hook);
        assertThat(pause.code()).as(pause.err()).isZero();
        assertThat(pause.out()).contains("paused");
        Run get = cli("webhooks", "get", hook);
        assertThat(get.out()).containsPattern("state:\\s+paused").doesNotContain("s3cret-value");
        assertThat(cli("webhooks", "get", hook, "--json").out()).contains("\"active\":false");
        assertThat(cli("webhooks", "resume", hook).out()).contains("active");

        String delivery = page.get("deliveries").get(0).get("id").asText();
        Run detail = cli("deliveries", "get", delivery);
        assertThat(detail.code()).isZero();
        assertThat(detail.out()).contains("ATTEMPT", "200");
        Run retry = cli("deliveries", "retry", delivery);
        assertThat(retry.code()).as(retry.err()).isZero();
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 2);
        // Skip is for deliveries of ordered lines only: this webhook has no ordering.
        Run skip = cli("deliveries", "skip", delivery);
        assertThat(skip.code()).isEqualTo(1);
        assertThat(skip.err()).contains("not waiting in an ordered line");

        Run deleted = cli("webhooks", "delete", hook);
        assertThat(deleted.code()).isZero();
        assertThat(cli("webhooks", "get", hook).code()).isEqualTo(1);
    }

    @Test
    void eventsSendDeliversToTheReceiver() throws Exception {
        String path = "/cli-send-" + UUID.randomUUID();
        String type = "cli.sent" + UUID.randomUUID().toString().substring(0, 8);
        createHook(path, type);
        Run sent = cli("events", "send", "--type", type, "--data", "{\"n\":1}");
        assertThat(sent.code()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("accepted", "del_");
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        assertThat(new String(receiver.to(path).get(0).body(), StandardCharsets.UTF_8)).contains("\"data\":{\"n\":1}");

        Path file = Files.createTempFile("cli-data", ".json");
        Files.writeString(file, "{\"from\":\"file\"}");
        Run fromFile = cli("events", "send", "--type", type, "--file", file.toString(), "--json");
        assertThat(fromFile.code()).as(fromFile.err()).isZero();
        assertThat(JSON.readTree(fromFile.out()).get("deliveries")).hasSize(1);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 2);
        assertThat(new String(receiver.to(path).get(1).body(), StandardCharsets.UTF_8)).contains("\"from\":\"file\"");

        Run notJson = cli("events", "send", "--type", type, "--data", "{oops");
        assertThat(notJson.code()).isEqualTo(1);
        assertThat(notJson.err().lines().toList()).hasSize(1);
        assertThat(notJson.err()).startsWith("--data is not JSON");
    }

    @Test
    void anUnknownIdIsOneLineAndExit1() {
        Run r = cli("webhooks", "get", "hook_x");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("webhook hook_x not found" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
        Run d = cli("deliveries", "retry", "del_x");
        assertThat(d.code()).isEqualTo(1);
        assertThat(d.err().strip()).isEqualTo("delivery del_x not found");
        assertThat(cli("deliveries", "skip", "del_x").err().strip()).isEqualTo("delivery del_x not found");
    }

    @Test
    void anApiErrorShowsTheApisMessageAndNeverTheKey() {
        Run badUrl = cli("webhooks", "create", "--url", "not a url", "--events", "x");
        assertThat(badUrl.code()).isEqualTo(1);
        assertThat(badUrl.err().lines().toList()).hasSize(1);
        assertThat(badUrl.err()).contains("url").doesNotContain("Exception").doesNotContain("\tat ");

        Run wrongKey = raw("--url", "http://127.0.0.1:" + herald.port, "--api-key", "wrong-key-123", "webhooks", "list");
        assertThat(wrongKey.code()).isEqualTo(1);
        assertThat(wrongKey.err().lines().toList()).hasSize(1);
        assertThat(wrongKey.err() + wrongKey.out()).doesNotContain("wrong-key-123");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(cli("webhooks", "list", "--nope").code()).isEqualTo(2);
        assertThat(cli("webhooks", "frobnicate").code()).isEqualTo(2);
        assertThat(cli("webhooks", "create", "--events", "x").code()).isEqualTo(2);
        assertThat(cli("deliveries", "list", "--status", "lost").code()).isEqualTo(2);
        assertThat(cli("events", "send", "--type", "x").code()).isEqualTo(2);
        assertThat(cli("events", "send", "--type", "x", "--data", "{}", "--file", "f.json").code()).isEqualTo(2);
        assertThat(cli().code()).isEqualTo(2);
    }

    @Test
    void helpAtEveryLevel() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"webhooks", "--help"},
                new String[] {"deliveries", "list", "--help"}, new String[] {"events", "send", "--help"})) {
            Run r = raw(args);
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("Usage: herald");
        }
    }

    @Test
    void heraldNotRunningIsOneLineAndExit1() throws Exception {
        String url = "http://127.0.0.1:" + HeraldApp.freePort();
        Run r = raw("--url", url, "--api-key", "k", "webhooks", "list");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cannot reach Herald at " + url + ": connection refused" + System.lineSeparator());
    }
}
